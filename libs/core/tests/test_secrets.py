"""The token secret: never a published one, strong in production, required to serve."""

from __future__ import annotations

import pytest
from fastapi import APIRouter
from pydantic import SecretStr, ValidationError

from switchboard.core.app import ServiceParts, create_service_app
from switchboard.core.runtime import Runtime
from switchboard.core.secrets import PUBLISHED_SECRETS, generate_secret, secret_weakness
from switchboard.core.settings import MissingSecret, Settings

PUBLISHED = next(iter(PUBLISHED_SECRETS))


def settings(**values: object) -> Settings:
    return Settings.model_validate(values)


def test_generated_secrets_are_strong_and_different() -> None:
    first, second = generate_secret(), generate_secret()
    assert first != second
    assert secret_weakness(first) is None


@pytest.mark.parametrize(
    ("secret", "why"),
    [
        ("", "not set"),
        (PUBLISHED, "published"),
        ("x", "fewer than 32"),
        ("correct-horse-battery", "fewer than 32"),
        ("a" * 64, "low entropy"),
        ("abab" * 16, "low entropy"),
    ],
)
def test_weak_secrets_are_named(secret: str, why: str) -> None:
    weakness = secret_weakness(secret)
    assert weakness is not None and why in weakness


@pytest.mark.parametrize("environment", ["production", "Production", " PRODUCTION ", "staging"])
@pytest.mark.parametrize("secret", ["", "x", PUBLISHED, "a" * 64])
def test_production_refuses_a_weak_secret_whatever_the_case(environment: str, secret: str) -> None:
    with pytest.raises(ValidationError) as refused:
        settings(environment=environment, jwt_secret=secret)
    assert secret not in str(refused.value) or not secret  # the secret is not printed back


@pytest.mark.parametrize("environment", ["production", "Production", "staging"])
def test_production_accepts_a_strong_secret(environment: str) -> None:
    secret = generate_secret()
    assert settings(environment=environment, jwt_secret=secret).signing_secret() == secret


@pytest.mark.parametrize("environment", ["development", "Development", "test"])
def test_a_published_secret_is_refused_in_development_too(environment: str) -> None:
    with pytest.raises(ValidationError, match="published"):
        settings(environment=environment, jwt_secret=PUBLISHED)


def test_the_secret_is_not_shown_in_the_settings_repr() -> None:
    secret = generate_secret()
    assert secret not in repr(settings(jwt_secret=secret))


def test_a_service_without_a_secret_refuses_to_start() -> None:
    parts = ServiceParts(
        name="lonely", title="t", description="d", runtime=Runtime, routers=[APIRouter()]
    )
    with pytest.raises(MissingSecret, match="SB_JWT_SECRET is not set"):
        create_service_app(parts, settings(jwt_secret=""))
    app = create_service_app(parts, settings(jwt_secret=SecretStr(generate_secret())))
    assert app.title == "t"
