"""Use cases of visitors: the widget's anonymous (or named) people."""

from __future__ import annotations

from dataclasses import dataclass

from switchboard.chat.service import events
from switchboard.chat.store import inboxes as store
from switchboard.chat.store.models import Visitor, new_id
from switchboard.core.auth import Principal, issue_token
from switchboard.core.errors import NotFound
from switchboard.core.events import utcnow
from switchboard.core.runtime import Runtime


@dataclass(frozen=True)
class VisitorSession:
    visitor: Visitor
    token: str


async def create_visitor(
    runtime: Runtime,
    *,
    widget_token: str,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    origin: str | None = None,
) -> VisitorSession:
    """Register a visitor of the widget's inbox, sign its token; publishes visitor.created."""
    assert runtime.outbox is not None
    async with runtime.unit_of_work() as session:
        inbox = await store.by_widget_token(session, widget_token)
        if inbox is None:
            raise NotFound("no inbox has this widget token", code="inbox_not_found")
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
        await runtime.outbox.add(session, events.visitor_created(visitor, origin=origin))
    settings = runtime.settings
    principal = Principal(
        kind="visitor", id=visitor.id, account_id=visitor.account_id, inbox_id=visitor.inbox_id
    )
    token = issue_token(
        settings,
        principal,
        token_type="visitor",
        ttl_seconds=settings.visitor_token_ttl_seconds,
    )
    return VisitorSession(visitor=visitor, token=token)
