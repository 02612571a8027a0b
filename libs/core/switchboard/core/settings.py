"""The one settings object of the suite, read from ``SB_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from ipaddress import ip_network
from typing import Annotated, Any, Literal

from limits import parse_many
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

    # Each setting is the environment variable SB_<NAME>; its description is documented in
    # docs/operations.md (written by `make openapi`, checked by a test).

    # The installation
    environment: str = Field(
        default="development",
        description="development, dev, test or local; any other name (production, staging, any"
        " case) demands a strong SB_JWT_SECRET and a durable database.",
    )
    database_url: str = Field(
        default="postgresql+asyncpg://postgres@127.0.0.1:5432/switchboard",
        description="PostgreSQL (SQLAlchemy URL, asyncpg driver); each service uses its schema.",
    )
    redis_url: str = Field(default="redis://127.0.0.1:6379/0", description="Redis.")
    key_prefix: str = Field(
        default="sb",
        description="Every Redis key is {<prefix>}:...: one hash tag, so Redis Cluster works.",
    )
    jwt_secret: SecretStr = Field(
        default=SecretStr(""),
        description="Signs and verifies every token. No default: `switchboard infra` generates"
        " one per installation; production refuses a short, repetitive or published one.",
    )
    access_token_ttl_seconds: int = Field(default=900, description="An agent's access token.")
    refresh_token_ttl_seconds: int = Field(
        default=30 * 24 * 3600, description="An agent's refresh token (each works once)."
    )
    visitor_token_ttl_seconds: int = Field(
        default=7 * 24 * 3600, description="A visitor's token (revocable by supervisors)."
    )
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")
    log_json: bool = Field(default=True, description="JSON log lines (false: for people).")

    # The bus
    stream_maxlen: int = Field(
        default=100_000,
        description="Entries kept per stream (also how far back a socket can resume).",
    )
    consumer_block_ms: int = Field(default=1000, description="A consumer's blocking read.")
    consumer_reclaim_idle_ms: int = Field(
        default=15_000, description="A pending entry idle this long is taken over (dead peer)."
    )
    consumer_reclaim_interval_seconds: float = Field(
        default=5.0, description="How often pending entries are looked for."
    )
    consumer_max_deliveries: int = Field(
        default=5, description="Attempts before an entry goes to the dead-letter stream."
    )
    outbox_sweep_interval_seconds: float = Field(
        default=5.0, description="How often the outbox is swept for unpublished events."
    )
    outbox_sweep_min_age_seconds: float = Field(
        default=10.0, description="An outbox row this old is republished by the sweeper."
    )

    # Outages
    database_connect_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        description="Opening a database connection gives up after this (503"
        " database_unavailable instead of hanging).",
    )
    database_pool_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Waiting for a pooled connection when all are busy."
    )
    redis_connect_timeout_seconds: float = Field(
        default=2.0, gt=0, description="Opening a Redis connection (503 redis_unavailable)."
    )
    retry_after_seconds: int = Field(default=2, ge=1, description="The Retry-After of every 503.")
    readiness_timeout_seconds: float = Field(
        default=2.0, gt=0, description="Each check of /readyz answers within this."
    )
    supervisor_restart_delay_seconds: float = Field(
        default=0.5,
        ge=0,
        description="`switchboard up` restarts a child that died after this pause, doubled"
        " for each restart of that child within the last minute ...",
    )
    supervisor_restart_delay_max_seconds: float = Field(
        default=30.0, ge=0, description="... up to this."
    )
    supervisor_restarts_per_minute: int = Field(
        default=5,
        ge=1,
        description="A child dying more often than this in a minute makes `up` stop"
        " everything and exit 1, for an outer process manager to see.",
    )

    # Where the services answer (`up` and `serve` listen on these ports too)
    gateway_url: str = Field(default="http://127.0.0.1:8000", description="The gateway.")
    chat_url: str = Field(default="http://127.0.0.1:8001", description="chat.")
    routing_url: str = Field(default="http://127.0.0.1:8002", description="routing.")
    tickets_url: str = Field(default="http://127.0.0.1:8003", description="tickets.")
    analytics_url: str = Field(default="http://127.0.0.1:8004", description="analytics.")

    # Sockets, presence, messages
    ws_login_timeout_seconds: float = Field(
        default=30.0, description="A socket not logged in by then is closed (4001)."
    )
    ws_idle_timeout_seconds: float = Field(
        default=45.0, description="A silent socket is closed (4408): ping every 15 s."
    )
    presence_heartbeat_seconds: float = Field(
        default=10.0, description="How often a gateway renews its connections' presence."
    )
    presence_grace_seconds: float = Field(
        default=10.0,
        description="An agent whose last connection closed goes offline only after this"
        " (a phone switching networks does not flap).",
    )
    max_message_length: int = Field(
        default=10_000, ge=1, description="Characters of one message's content."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default=[],
        description="Web origins whose pages may call the REST API from a browser (the widget"
        ' on a shop\'s site), comma-separated: "https://shop.example,https://www.shop.example",'
        ' or "*" for any. Empty: none. Applied by the gateway.',
    )

    # Input limits
    max_request_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="A request body (413 payload_too_large)."
    )
    ws_max_frame_bytes: int = Field(
        default=64 * 1024, ge=1024, description="A socket frame (larger: the socket closes 1009)."
    )
    ws_requests_per_second: float = Field(
        default=20.0,
        gt=0,
        description="Requests one socket may send a second; beyond, each is answered"
        " rate_limited (and a flood closes the socket, 4029) ...",
    )
    ws_request_burst: int = Field(default=40, ge=1, description="... with bursts of this many.")

    # Attachments (files, images, video and voice notes of messages)
    attachment_storage: Literal["local", "s3"] = Field(
        default="local",
        description="Where uploaded files are kept: local (SB_ATTACHMENT_DIRECTORY) or s3 (any"
        " S3-compatible object store, SB_ATTACHMENT_S3_*).",
    )
    attachment_directory: str = Field(
        default=".data/attachments",
        description="The local storage's directory (relative: to where the service runs).",
    )
    attachment_s3_endpoint_url: str = Field(
        default="",
        description="The S3-compatible endpoint (empty: AWS's own for the region).",
    )
    attachment_s3_bucket: str = Field(
        default="switchboard-attachments", description="The bucket of the s3 storage."
    )
    attachment_s3_region: str = Field(default="us-east-1", description="The bucket's region.")
    attachment_s3_access_key_id: str = Field(
        default="", description="The s3 storage's access key (empty: the usual AWS chain)."
    )
    attachment_s3_secret_access_key: SecretStr = Field(
        default=SecretStr(""), description="... and its secret."
    )
    attachment_max_bytes: int = Field(
        default=25 * 1024 * 1024,
        ge=1,
        description="The largest file an inbox takes unless it sets its own limit (413"
        " attachment_too_large).",
    )
    attachment_max_bytes_ceiling: int = Field(
        default=100 * 1024 * 1024,
        ge=1024,
        description="The most an inbox's own limit may be: the request body limit of uploads.",
    )
    attachment_url_ttl_seconds: int = Field(
        default=900, ge=1, description="How long a signed download URL works."
    )
    attachment_unsent_ttl_seconds: int = Field(
        default=24 * 3600,
        ge=60,
        description="An upload no message took is removed after this (chat's worker).",
    )

    # Rate limits, counted in Redis across every process, in the `limits` notation:
    # "10/minute", "5/second;100/hour"; "" turns one off.
    rate_limits_enabled: bool = Field(
        default=True, description="false turns every rate limit off (the socket's stays)."
    )
    rate_limit_login_per_email: str = Field(
        default="20/minute", description="Login attempts of one email (429 rate_limited)."
    )
    rate_limit_login_per_ip: str = Field(
        default="60/minute", description="Login attempts from one address."
    )
    login_lockout: str = Field(
        default="10/15 minutes",
        description="Failed logins of one email before it is locked out for the window (429"
        " login_locked, whatever the password).",
    )
    rate_limit_visitors_per_ip: str = Field(
        default="30/minute", description="Visitors registered from one address."
    )
    rate_limit_visitors_per_widget: str = Field(
        default="600/minute", description="Visitors registered through one widget."
    )
    rate_limit_conversations_per_visitor: str = Field(
        default="5/minute;30/hour", description="Conversations one visitor opens."
    )
    rate_limit_messages_per_visitor: str = Field(
        default="60/minute", description="Messages of one visitor, over REST and sockets."
    )
    rate_limit_requests_per_token: str = Field(
        default="1200/minute", description="REST calls through the gateway with one token."
    )
    rate_limit_requests_per_ip: str = Field(
        default="600/minute", description="REST calls through the gateway without a token."
    )
    trusted_proxies: list[str] = Field(
        default=["127.0.0.1", "::1"],
        description="Peers whose X-Forwarded-For is believed (the gateway, a load balancer):"
        " addresses or networks, as JSON. Anyone else is counted under its own address.",
    )

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

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value

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
