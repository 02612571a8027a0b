"""The one settings object of the suite, read from ``SB_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEV_JWT_SECRET", "Settings", "get_settings"]

DEV_JWT_SECRET = "switchboard-development-secret-change-me"


class Settings(BaseSettings):
    """Every knob of every service; a service reads the ones it needs."""

    model_config = SettingsConfigDict(env_prefix="SB_", extra="ignore")

    environment: str = "development"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/switchboard"
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Every Redis key is "{<key_prefix>}:...": one hash tag, so Redis Cluster keeps working.
    key_prefix: str = "sb"
    jwt_secret: str = DEV_JWT_SECRET
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    visitor_token_ttl_seconds: int = 30 * 24 * 3600
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

    @model_validator(mode="after")
    def _refuse_dev_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.jwt_secret == DEV_JWT_SECRET:
            raise ValueError("SB_JWT_SECRET must be set to a real secret in production")
        return self

    def service_url(self, service: str) -> str:
        url: str = getattr(self, f"{service}_url")
        return url.rstrip("/")


@lru_cache
def get_settings() -> Settings:
    return Settings()
