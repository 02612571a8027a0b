"""Tokens as every service reads them: verified once, their expiry checked on every use."""

from __future__ import annotations

import time
from uuid import uuid4

import jwt
import pytest
from pydantic import SecretStr

from switchboard.core.auth import Principal, Role, issue_token, principal_from_token
from switchboard.core.errors import InvalidToken, TokenExpired
from switchboard.core.secrets import generate_secret
from switchboard.core.settings import Settings


def _settings() -> Settings:
    return Settings(jwt_secret=SecretStr(generate_secret()))


def _agent() -> Principal:
    return Principal(
        kind="agent", id=uuid4(), account_id=uuid4(), role=Role.agent, session_version=3
    )


def test_an_access_token_gives_its_agent_every_time_it_is_used() -> None:
    settings, agent = _settings(), _agent()
    token = issue_token(settings, agent, token_type="access", ttl_seconds=60)

    assert principal_from_token(settings, token) == agent
    assert principal_from_token(settings, token) == agent


def test_a_token_that_was_accepted_is_refused_once_it_expires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = _settings()
    token = issue_token(settings, _agent(), token_type="access", ttl_seconds=60)
    principal_from_token(settings, token)
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)

    with pytest.raises(TokenExpired):
        principal_from_token(settings, token)


def test_a_refresh_token_is_not_a_bearer_token() -> None:
    settings = _settings()
    token = issue_token(settings, _agent(), token_type="refresh", ttl_seconds=60)

    with pytest.raises(InvalidToken, match="access token is required"):
        principal_from_token(settings, token)


def test_a_token_of_another_secret_is_refused_each_time() -> None:
    ours, theirs = _settings(), _settings()
    token = issue_token(theirs, _agent(), token_type="access", ttl_seconds=60)
    assert principal_from_token(theirs, token).kind == "agent"

    for _ in range(2):
        with pytest.raises(InvalidToken):
            principal_from_token(ours, token)


def test_a_signed_token_with_unreadable_claims_is_invalid() -> None:
    settings = _settings()
    claims = {"sub": "not-a-uuid", "acc": str(uuid4()), "kind": "agent", "typ": "access"}
    token = jwt.encode({**claims, "exp": time.time() + 60}, settings.signing_secret(), "HS256")

    with pytest.raises(InvalidToken):
        principal_from_token(settings, token)
