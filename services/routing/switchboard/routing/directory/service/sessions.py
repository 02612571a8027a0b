"""Ending sessions: tokens issued before a change stop working everywhere, at once.

Routing owns agents, so it decides when their sessions end (a role change, a new password, a
deactivation, a logout, a spent refresh token used again) and tells the other services through
Redis (``switchboard.core.sessions``: checked on every request) and ``session.revoked`` (the
gateway closes the sockets). Redis is written after the commit, and what changed within an
access token's lifetime is written again every minute, in case Redis lost it.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Literal
from uuid import UUID

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.events import utcnow
from switchboard.core.outbox import Outbox
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.directory.store import sessions as store
from switchboard.routing.service import events
from switchboard.routing.store.models import Agent

log = structlog.get_logger(__name__)

SessionEnd = Literal["role_changed", "password_changed", "deactivated", "logged_out_everywhere"]
FamilyEnd = Literal["logged_out", "refresh_token_reused"]
REPUBLISH_INTERVAL_SECONDS = 60.0


async def end_sessions(
    session: AsyncSession, outbox: Outbox, agent: Agent, reason: SessionEnd
) -> None:
    """In the caller's transaction: every token of the agent issued so far stops working; his
    refresh tokens too, unless only his role changed (a refresh then brings the new role).
    Call ``publish_session_versions`` after the commit."""
    agent.session_version += 1
    agent.session_changed_at = utcnow()
    if reason != "role_changed":
        await store.revoke_tokens_of(session, agent.id, agent.session_changed_at)
    await outbox.add(session, events.session_revoked(agent, reason=reason))


async def revoke_family(
    session: AsyncSession, outbox: Outbox, agent: Agent, family_id: str, reason: FamilyEnd
) -> None:
    """In the caller's transaction: end one login (its refresh and access tokens). Call
    ``publish_revoked_families`` after the commit."""
    await store.revoke_family(session, agent.id, family_id, utcnow())
    await outbox.add(session, events.session_revoked(agent, reason=reason, family_id=family_id))


async def publish_session_versions(runtime: DatabaseRuntime, versions: dict[UUID, int]) -> None:
    ttl = runtime.settings.access_token_ttl_seconds
    await runtime.sessions.raise_versions("agent", versions, ttl)


async def publish_revoked_families(runtime: DatabaseRuntime, families: list[str]) -> None:
    await runtime.sessions.revoke_families(families, runtime.settings.access_token_ttl_seconds)


async def republish_recent(runtime: DatabaseRuntime) -> None:
    """Write again what ended within an access token's lifetime (Redis may have lost it)."""
    since = utcnow() - timedelta(seconds=runtime.settings.access_token_ttl_seconds)
    async with runtime.db.session() as session:
        versions, families = await store.ended_since(session, since)
    await publish_session_versions(runtime, versions)
    await publish_revoked_families(runtime, families)


async def keep_republishing(runtime: DatabaseRuntime) -> None:
    """A background task of the service: ``republish_recent`` now and every minute."""
    while True:
        try:
            await republish_recent(runtime)
        except Exception as exc:  # Redis or PostgreSQL away: the next round writes it
            log.warning("session_republish_failed", error=repr(exc))
        await asyncio.sleep(REPUBLISH_INTERVAL_SECONDS)
