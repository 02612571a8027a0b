"""Use cases of inboxes (the widget's channel into an account)."""

from __future__ import annotations

import secrets
from uuid import UUID

from switchboard.chat.errors import InboxNotFound
from switchboard.chat.service import events
from switchboard.chat.store import inboxes as store
from switchboard.chat.store.models import Inbox, new_id
from switchboard.core.auth import Principal, Role
from switchboard.core.errors import Unprocessable
from switchboard.core.events import utcnow
from switchboard.core.pagination import PageQuery, Rows
from switchboard.core.runtime import DatabaseRuntime

NAME_MAX_LENGTH = 200


async def create_inbox(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    name: str,
    attachment_max_bytes: int | None = None,
    origin: str | None = None,
) -> Inbox:
    """Create an inbox with a fresh widget token; publishes ``inbox.created``."""
    name = name.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise Unprocessable(f"name must have 1 to {NAME_MAX_LENGTH} characters")
    ceiling = runtime.settings.attachment_max_bytes_ceiling
    if attachment_max_bytes is not None and not 0 < attachment_max_bytes <= ceiling:
        raise Unprocessable(f"attachment_max_bytes must be 1 to {ceiling} (the ceiling)")
    inbox = Inbox(
        id=new_id(),
        account_id=account_id,
        name=name,
        widget_token=secrets.token_urlsafe(24),
        created_at=utcnow(),
        attachment_max_bytes=attachment_max_bytes,
    )
    async with runtime.work() as work:
        session = work.session
        session.add(inbox)
        await session.flush()
        await work.publish(events.inbox_created(inbox, origin=origin))
    return inbox


def _member_filter(caller: Principal) -> UUID | None:
    """Agents see the inboxes they are members of; supervisors and admins every one."""
    return None if caller.at_least(Role.supervisor) else caller.id


async def list_inboxes(
    runtime: DatabaseRuntime, *, caller: Principal, page: PageQuery
) -> Rows[Inbox]:
    async with runtime.db.session() as session:
        return await store.page_of(
            session, caller.account_id, page, member_id=_member_filter(caller)
        )


async def get_inbox(runtime: DatabaseRuntime, *, caller: Principal, inbox_id: UUID) -> Inbox:
    async with runtime.db.session() as session:
        inbox = await store.get(
            session, caller.account_id, inbox_id, member_id=_member_filter(caller)
        )
    if inbox is None:
        raise InboxNotFound()
    return inbox
