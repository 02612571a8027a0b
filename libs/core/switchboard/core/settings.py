"""The one settings object of the suite, read from ``SB_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from ipaddress import ip_network

from limits import parse_many
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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

    # Outages. Opening a database connection gives up after this long (the request answers
    # 503 database_unavailable instead of hanging while the server is unreachable).
    database_connect_timeout_seconds: float = Field(default=5.0, gt=0)
    # How long a request waits for a pooled database connection when every one is busy.
    database_pool_timeout_seconds: float = Field(default=10.0, gt=0)
    # Opening a Redis connection gives up after this long (503 redis_unavailable).
    redis_connect_timeout_seconds: float = Field(default=2.0, gt=0)
    # The Retry-After of every 503: how long a client should wait before it tries again.
    retry_after_seconds: int = Field(default=2, ge=1)
    # Each check of /readyz (database, Redis) answers within this, so a probe never hangs.
    readiness_timeout_seconds: float = Field(default=2.0, gt=0)

    # `switchboard up` restarts a child that dies: after this pause, doubled for each restart
    # of that child within the last minute, up to the maximum ...
    supervisor_restart_delay_seconds: float = Field(default=0.5, ge=0)
    supervisor_restart_delay_max_seconds: float = Field(default=30.0, ge=0)
    # ... and gives up (stopping everything, exit code 1) when a child died more often than
    # this within a minute: it does not start, and an outer process manager should know.
    supervisor_restarts_per_minute: int = Field(default=5, ge=1)

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

    # Input limits: a request body (413 payload_too_large), a socket frame (closed 1009), and
    # how fast one socket may send requests (answered rate_limited beyond that; closed 4029
    # when it keeps flooding).
    max_request_bytes: int = Field(default=1024 * 1024, ge=1024)
    ws_max_frame_bytes: int = Field(default=64 * 1024, ge=1024)
    ws_requests_per_second: float = Field(default=20.0, gt=0)
    ws_request_burst: int = Field(default=40, ge=1)

    # Rate limits, counted in Redis across every process (switchboard.core.ratelimit), in the
    # `limits` notation: "10/minute", "5/second;100/hour"; "" turns one off.
    rate_limits_enabled: bool = True
    rate_limit_login_per_email: str = "20/minute"
    rate_limit_login_per_ip: str = "60/minute"
    # Failed logins of one email before it is locked out (429 login_locked) for the window.
    login_lockout: str = "10/15 minutes"
    rate_limit_visitors_per_ip: str = "30/minute"
    rate_limit_visitors_per_widget: str = "600/minute"
    rate_limit_conversations_per_visitor: str = "5/minute;30/hour"
    rate_limit_messages_per_visitor: str = "60/minute"
    # Every REST call through the gateway: per token, and per address for calls without one.
    rate_limit_requests_per_token: str = "1200/minute"
    rate_limit_requests_per_ip: str = "600/minute"
    # Peers whose X-Forwarded-For is believed (the gateway, a load balancer): addresses or
    # networks. A request from anyone else is counted under its own address.
    trusted_proxies: list[str] = ["127.0.0.1", "::1"]

    @field_validator(
        "rate_limit_login_per_email",
        "rate_limit_login_per_ip",
        "login_lockout",
        "rate_limit_visitors_per_ip",
        "rate_limit_visitors_per_widget",
        "rate_limit_conversations_per_visitor",
        "rate_limit_messages_per_visitor",
        "rate_limit_requests_per_token",
        "rate_limit_requests_per_ip",
    )
    @classmethod
    def _is_a_rule(cls, rule: str) -> str:
        if rule.strip():
            parse_many(rule)  # ValueError names what does not parse
        return rule

    @field_validator("trusted_proxies")
    @classmethod
    def _are_networks(cls, proxies: list[str]) -> list[str]:
        for proxy in proxies:
            ip_network(proxy, strict=False)
        return proxies

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
