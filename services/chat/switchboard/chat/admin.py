"""Chat's administrative commands, run by the ``switchboard`` CLI without HTTP (declared as
``admin`` in ``spec.py``): the demo's inbox."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select

from switchboard.chat.service.inboxes import create_inbox
from switchboard.chat.store.models import Base, Inbox
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.settings import Settings

__all__ = ["KnownInbox", "ensure_inbox"]


@dataclass(frozen=True)
class KnownInbox:
    id: UUID
    widget_token: str
    created: bool


async def ensure_inbox(settings: Settings, *, account_id: UUID, name: str) -> KnownInbox:
    """The account's (oldest) inbox of this name, made if missing."""
    runtime = DatabaseRuntime("chat", settings, Base.metadata)
    try:
        async with runtime.db.session() as session:
            inbox = await session.scalar(
                select(Inbox)
                .where(Inbox.account_id == account_id, Inbox.name == name)
                .order_by(Inbox.created_at)
                .limit(1)
            )
        created = inbox is None
        if inbox is None:
            inbox = await create_inbox(runtime, account_id=account_id, name=name)
        return KnownInbox(inbox.id, inbox.widget_token, created)
    finally:
        await runtime.close()
