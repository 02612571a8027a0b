"""The one settings object of the suite, read from ``SB_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from switchboard.core.secrets import PUBLISHED_SECRETS, secret_weakness

__all__ = ["DEVELOPMENT_ENVIRONMENTS", "MissingSecret", "Settings", "get_settings"]

# Any other SB_ENVIRONMENT (production, staging, Production ...) gets the production checks.
DEVELOPMENT_ENVIRONMENTS = frozenset({"development", "dev", "test", "local"})


class MissingSecret(RuntimeError):
    """Tokens are needed but SB_JWT_SECRET is not set."""


class Settings(BaseSettings):
    """Every knob of every service; a service reads the ones it needs."""

    # hide_input_in_errors: a refused secret must not be printed back in the error.
    model_config = SettingsConfigDict(env_prefix="SB_", extra="ignore", hide_input_in_errors=True)

    environment: str = "development"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/switchboard"
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Every Redis key is "{<key_prefix>}:...": one hash tag, so Redis Cluster keeps working.
    key_prefix: str = "sb"
    # No default: `switchboard infra` generates one per installation (see core.secrets).
    jwt_secret: SecretStr = SecretStr("")
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    visitor_token_ttl_seconds: int = 7 * 24 * 3600
    log_level: str = "INFO"
    log_json: bool = True

    stream_maxlen: int = 100_000
    consumer_block_ms: int = 1000
    consumer_reclaim_idle_ms: int = 15_000
    consumer_reclaim_interval_seconds: float = 5.0
    consumer_max_deliveries: int = 5
    outbox_sweep_interval_seconds: float = 5.0
    outbox_sweep_min_age_seconds: float = 10.0

    gateway_url: str = "http://127.0.0.1:8000"
    chat_url: str = "http://127.0.0.1:8001"
    routing_url: str = "http://127.0.0.1:8002"
    tickets_url: str = "http://127.0.0.1:8003"
    analytics_url: str = "http://127.0.0.1:8004"

    ws_login_timeout_seconds: float = 30.0
    ws_idle_timeout_seconds: float = 45.0
    presence_heartbeat_seconds: float = 10.0
    presence_grace_seconds: float = 10.0
    max_message_length: int = Field(default=10_000, ge=1)
    # Web origins whose pages may call the REST API from a browser (the widget on a customer's
    # site): "https://shop.example,https://www.shop.example", or "*" for any. Empty: none.
    # Applied by the gateway, the public edge.
    cors_origins: Annotated[list[str], NoDecode] = []

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value

    @property
    def is_production(self) -> bool:
        return self.environment.strip().lower() not in DEVELOPMENT_ENVIRONMENTS

    @model_validator(mode="after")
    def _refuse_weak_secrets(self) -> Settings:
        secret = self.jwt_secret.get_secret_value()
        if secret in PUBLISHED_SECRETS:
            raise ValueError("SB_JWT_SECRET is a published secret: generate one of your own")
        if self.is_production and (weakness := secret_weakness(secret)) is not None:
            raise ValueError(
                f"SB_JWT_SECRET cannot sign tokens in {self.environment!r}: {weakness}"
                " (use `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        return self

    def signing_secret(self) -> str:
        """The secret that signs and verifies tokens; ``MissingSecret`` when unset."""
        secret = self.jwt_secret.get_secret_value()
        if not secret:
            raise MissingSecret(
                'SB_JWT_SECRET is not set: `eval "$(switchboard infra --shell)"` generates one'
                " for this installation (make run does it)"
            )
        return secret

    def service_url(self, service: str) -> str:
        url: str = getattr(self, f"{service}_url")
        return url.rstrip("/")


@lru_cache
def get_settings() -> Settings:
    return Settings()
