"""Login and refresh: access tokens plus rotating refresh tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.auth import Principal, Role, decode_token, issue_token
from switchboard.core.errors import Unauthorized
from switchboard.core.events import utcnow
from switchboard.core.runtime import Runtime
from switchboard.routing.service.passwords import verify_password
from switchboard.routing.store import agents as agent_store
from switchboard.routing.store.models import Agent, RefreshToken


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


async def _issue_pair(runtime: Runtime, session: AsyncSession, agent: Agent) -> TokenPair:
    settings = runtime.settings
    principal = Principal(
        kind="agent", id=agent.id, account_id=agent.account_id, role=Role(agent.role)
    )
    token_id = uuid4().hex
    session.add(
        RefreshToken(
            id=token_id,
            agent_id=agent.id,
            expires_at=utcnow() + timedelta(seconds=settings.refresh_token_ttl_seconds),
        )
    )
    return TokenPair(
        access_token=issue_token(
            settings,
            principal,
            token_type="access",
            ttl_seconds=settings.access_token_ttl_seconds,
        ),
        refresh_token=issue_token(
            settings,
            principal,
            token_type="refresh",
            ttl_seconds=settings.refresh_token_ttl_seconds,
            token_id=token_id,
        ),
        expires_in=settings.access_token_ttl_seconds,
    )


async def login(runtime: Runtime, *, email: str, password: str) -> TokenPair:
    """Tokens for the agent with these credentials; ``invalid_credentials`` otherwise."""
    async with runtime.database.session() as session:
        agent = await agent_store.by_email(session, email.strip().lower())
    # Hashing takes a while: no transaction or lock is held meanwhile.
    if not await verify_password(agent.password_hash if agent else None, password):
        raise Unauthorized("wrong email or password", code="invalid_credentials")
    assert agent is not None
    async with runtime.unit_of_work() as session:
        return await _issue_pair(runtime, session, agent)


async def refresh(runtime: Runtime, *, refresh_token: str) -> TokenPair:
    """A new pair for a live refresh token, which is revoked: each one works once."""
    claims = decode_token(runtime.settings, refresh_token, expected="refresh")
    token_id = claims.get("jti")
    async with runtime.unit_of_work() as session:
        stored = await agent_store.refresh_token_for_update(session, str(token_id))
        if stored is None or stored.revoked_at is not None:
            raise Unauthorized("the refresh token was used or revoked", code="invalid_token")
        now = utcnow()
        if stored.expires_at <= now:
            raise Unauthorized("the refresh token has expired", code="token_expired")
        agent = await agent_store.get(session, UUID(claims["acc"]), stored.agent_id)
        if agent is None:
            raise Unauthorized("the agent no longer exists", code="invalid_token")
        stored.revoked_at = now
        return await _issue_pair(runtime, session, agent)
