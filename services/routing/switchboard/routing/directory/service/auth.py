"""Login, refresh and logout: access tokens plus rotating refresh tokens, one family a login.

Each refresh token works once: it is exchanged for a new pair of the same family. A spent
token presented again means it leaked (or a client raced itself), so the whole family is
revoked: the thief and the owner both log in again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.auth import Principal, Role, decode_token, issue_token
from switchboard.core.errors import InvalidToken, SessionRevoked, TokenExpired
from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.directory.service.agents import outbox_of
from switchboard.routing.directory.service.passwords import hash_password, verify_password
from switchboard.routing.directory.service.sessions import (
    end_sessions,
    publish_revoked_families,
    publish_session_versions,
    revoke_family,
)
from switchboard.routing.directory.store import agents as agent_store
from switchboard.routing.directory.store import sessions as session_store
from switchboard.routing.errors import (
    AgentDeactivated,
    InvalidCredentials,
    LoginLocked,
    RefreshTokenReused,
    WrongPassword,
)
from switchboard.routing.store.models import Agent, RefreshToken


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


async def issue_pair(
    runtime: DatabaseRuntime, session: AsyncSession, agent: Agent, *, family_id: str | None = None
) -> TokenPair:
    """A new access and refresh token of ``family_id`` (a new login without one)."""
    settings = runtime.settings
    token_id = uuid4().hex
    family_id = family_id or token_id
    principal = Principal(
        kind="agent",
        id=agent.id,
        account_id=agent.account_id,
        role=Role(agent.role),
        session_version=agent.session_version,
        family=family_id,
    )
    session.add(
        RefreshToken(
            id=token_id,
            agent_id=agent.id,
            family_id=family_id,
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


async def login(
    runtime: DatabaseRuntime, *, email: str, password: str, address: str = "unknown"
) -> TokenPair:
    """Tokens for the agent with these credentials; ``invalid_credentials`` otherwise.

    Attempts are limited per email and per address (429 ``rate_limited``), and after too many
    failures an email is locked out for a while (429 ``login_locked``), whatever password comes
    next: guessing costs the guesser, not the agent's other sessions.
    """
    settings, limits = runtime.settings, runtime.rate_limits
    email = email.strip().lower()
    await limits.check(settings.login_lockout, "login-failures", email, refusal=LoginLocked)
    await limits.hit(settings.rate_limit_login_per_ip, "login-address", address)
    await limits.hit(settings.rate_limit_login_per_email, "login-email", email)
    async with runtime.db.session() as session:
        agent = await agent_store.by_email(session, email)
    # Hashing takes a while: no transaction or lock is held meanwhile.
    if not await verify_password(agent.password_hash if agent else None, password):
        await limits.hit(settings.login_lockout, "login-failures", email, refusal=LoginLocked)
        raise InvalidCredentials()
    assert agent is not None
    if not agent.active:
        raise AgentDeactivated()
    async with runtime.work() as work:
        session = work.session
        return await issue_pair(runtime, session, agent)


async def refresh(runtime: DatabaseRuntime, *, refresh_token: str) -> TokenPair:
    """A new pair for a live refresh token, which is spent: each one works once."""
    claims = decode_token(runtime.settings, refresh_token, expected="refresh")
    async with runtime.work() as work:
        session = work.session
        stored = await session_store.refresh_token_for_update(session, str(claims.get("jti")))
        if stored is None:
            raise InvalidToken("the refresh token is not known")
        if stored.revoked_at is not None:
            raise SessionRevoked("this login has ended: log in again")
        agent = await agent_store.get(session, UUID(claims["acc"]), stored.agent_id)
        if agent is None:
            raise InvalidToken("the agent no longer exists")
        now = utcnow()
        if stored.spent_at is None:
            if stored.expires_at <= now:
                raise TokenExpired("the refresh token has expired")
            if not agent.active:
                raise AgentDeactivated()
            stored.spent_at = now
            return await issue_pair(runtime, session, agent, family_id=stored.family_id)
        reused = stored.family_id
        await revoke_family(
            session, outbox_of(runtime), agent, reused, reason="refresh_token_reused"
        )
    await publish_revoked_families(runtime, [reused])
    raise RefreshTokenReused()


async def logout(runtime: DatabaseRuntime, *, caller: Principal, everywhere: bool) -> None:
    """End the caller's login (its refresh and access tokens), or every session he has."""
    async with runtime.work() as work:
        session = work.session
        agent = await agent_store.get_for_update(session, caller.account_id, caller.id)
        if agent is None:
            raise InvalidToken("the agent no longer exists")
        if everywhere or caller.family is None:
            await end_sessions(session, outbox_of(runtime), agent, "logged_out_everywhere")
            version = agent.session_version
        else:
            await revoke_family(session, outbox_of(runtime), agent, caller.family, "logged_out")
    if everywhere or caller.family is None:
        await publish_session_versions(runtime, {caller.id: version})
    else:
        await publish_revoked_families(runtime, [caller.family])


async def change_password(
    runtime: DatabaseRuntime, *, caller: Principal, current_password: str, new_password: str
) -> TokenPair:
    """Every session of the caller ends; this device gets a new login."""
    async with runtime.db.session() as session:
        agent = await agent_store.get(session, caller.account_id, caller.id)
    if agent is None:
        raise InvalidToken("the agent no longer exists")
    if not await verify_password(agent.password_hash, current_password):
        raise WrongPassword()
    password_hash = await hash_password(new_password)
    async with runtime.work() as work:
        session = work.session
        locked = await agent_store.get_for_update(session, caller.account_id, caller.id)
        assert locked is not None
        locked.password_hash = password_hash
        await end_sessions(session, outbox_of(runtime), locked, "password_changed")
        pair = await issue_pair(runtime, session, locked)
        version = locked.session_version
    await publish_session_versions(runtime, {caller.id: version})
    return pair
