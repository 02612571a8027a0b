"""Use cases of visitors: the widget's anonymous (or named) people, and their tokens."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

import structlog
from sqlalchemy import select

from switchboard.chat.errors import InboxNotFound, VisitorNotFound
from switchboard.chat.service import events
from switchboard.chat.store import inboxes as store
from switchboard.chat.store.models import Visitor, new_id
from switchboard.core.auth import Principal, issue_token
from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime

log = structlog.get_logger(__name__)
REPUBLISH_INTERVAL_SECONDS = 60.0


@dataclass(frozen=True)
class VisitorSession:
    visitor: Visitor
    token: str


async def create_visitor(
    runtime: DatabaseRuntime,
    *,
    widget_token: str,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    origin: str | None = None,
) -> VisitorSession:
    """Register a visitor of the widget's inbox, sign its token; publishes visitor.created."""
    async with runtime.work() as work:
        session = work.session
        inbox = await store.by_widget_token(session, widget_token)
        if inbox is None:
            raise InboxNotFound("no inbox has this widget token")
        visitor = Visitor(
            id=new_id(),
            account_id=inbox.account_id,
            inbox_id=inbox.id,
            name=name,
            email=email,
            phone=phone,
            created_at=utcnow(),
        )
        session.add(visitor)
        await session.flush()
        await work.publish(events.visitor_created(visitor, origin=origin))
    settings = runtime.settings
    principal = Principal(
        kind="visitor",
        id=visitor.id,
        account_id=visitor.account_id,
        inbox_id=visitor.inbox_id,
        session_version=visitor.session_version,
    )
    token = issue_token(
        settings,
        principal,
        token_type="visitor",
        ttl_seconds=settings.visitor_token_ttl_seconds,
    )
    return VisitorSession(visitor=visitor, token=token)


async def revoke_visitor_sessions(
    runtime: DatabaseRuntime, *, account_id: UUID, visitor_id: UUID
) -> None:
    """Every token the visitor holds stops working (his sockets close); he must register
    again to write. See ``switchboard.core.sessions``."""
    async with runtime.work() as work:
        session = work.session
        visitor = await store.get_visitor(session, account_id, visitor_id, for_update=True)
        if visitor is None:
            raise VisitorNotFound()
        visitor.session_version += 1
        visitor.session_changed_at = utcnow()
        await work.publish(events.visitor_session_revoked(visitor))
        versions = {visitor.id: visitor.session_version}
    await runtime.sessions.raise_versions(
        "visitor", versions, runtime.settings.visitor_token_ttl_seconds
    )


async def republish_revoked_sessions(runtime: DatabaseRuntime) -> None:
    """Write again the revocations a live visitor token could still ignore (Redis may have
    lost them), now and every minute."""
    while True:
        ttl = runtime.settings.visitor_token_ttl_seconds
        try:
            since = utcnow() - timedelta(seconds=ttl)
            async with runtime.db.session() as session:
                rows = await session.execute(
                    select(Visitor.id, Visitor.session_version).where(
                        Visitor.session_changed_at > since
                    )
                )
                versions = {row.id: row.session_version for row in rows}
            await runtime.sessions.raise_versions("visitor", versions, ttl)
        except Exception as exc:  # Redis or PostgreSQL away: the next round writes it
            log.warning("visitor_session_republish_failed", error=repr(exc))
        await asyncio.sleep(REPUBLISH_INTERVAL_SECONDS)
