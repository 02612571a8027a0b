"""Use cases of notifications: make one (inside the unit of work of what caused it), withdraw
those of a deleted message, list an agent's own, read one or all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from switchboard.chat.errors import NotificationNotFound
from switchboard.chat.notifications.domain.kinds import NotificationKind, wanted, words
from switchboard.chat.notifications.service import events
from switchboard.chat.notifications.store import notifications as store
from switchboard.chat.notifications.store.models import Notification
from switchboard.chat.store import agents as agent_store
from switchboard.core.auth import Principal
from switchboard.core.events import utcnow
from switchboard.core.pagination import PageQuery, Rows
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.work import UnitOfWork


@dataclass(frozen=True)
class Listed:
    """A page of an agent's notifications, and how many of all of his are unread."""

    rows: Rows[Notification]
    unread_count: int


async def notify(
    work: UnitOfWork,
    *,
    account_id: UUID,
    agent_id: UUID,
    kind: NotificationKind,
    conversation_id: UUID,
    actor_id: UUID | None,
    message_id: UUID | None = None,
    now: datetime | None = None,
) -> Notification | None:
    """Make the agent a notification of ``kind`` unless he turned that kind off, and tell his
    devices (``notification.created``). Runs inside the caller's transaction, so it is made
    exactly when what caused it is."""
    session = work.session
    profile = await agent_store.profile(session, account_id, agent_id)
    if not wanted(kind, profile.muted_notifications):
        return None
    actor = None
    if actor_id is not None:
        actor = (await agent_store.names(session, account_id, [actor_id])).get(actor_id)
    notification = Notification(
        account_id=account_id,
        agent_id=agent_id,
        kind=kind.value,
        conversation_id=conversation_id,
        actor_id=actor_id,
        message_id=message_id,
        text=words(kind, actor),
        created_at=now or utcnow(),
        read_at=None,
    )
    session.add(notification)
    await session.flush()
    unread = await store.unread_count(session, account_id, agent_id)
    await work.publish(events.notification_created(notification, unread_count=unread))
    return notification


async def withdraw(
    work: UnitOfWork, *, account_id: UUID, message_id: UUID, kind: NotificationKind
) -> None:
    """The notifications of ``kind`` the message made go with it (a deleted note's mentions:
    they would point at nothing), in the caller's transaction; each agent's devices drop
    them (``notification.deleted``, with his unread count now)."""
    session = work.session
    removed = await store.remove_of_message(session, account_id, message_id, kind.value)
    for notification_id, agent_id in removed:
        unread = await store.unread_count(session, account_id, agent_id)
        await work.publish(
            events.notification_deleted(
                account_id, agent_id, notification_id=notification_id, unread_count=unread
            )
        )


async def list_notifications(
    runtime: DatabaseRuntime, *, caller: Principal, page: PageQuery
) -> Listed:
    """The caller's own notifications, newest first, with his unread count."""
    async with runtime.db.session() as session:
        rows = await store.page_of(session, caller.account_id, caller.id, page)
        unread = await store.unread_count(session, caller.account_id, caller.id)
    return Listed(rows, unread)


async def mark_read(
    runtime: DatabaseRuntime, *, caller: Principal, notification_id: UUID
) -> Notification:
    """The caller read one of his notifications; his other devices hear it
    (``notification.read``). Reading it again changes nothing."""
    async with runtime.work() as work:
        session = work.session
        notification = await store.get(session, caller.account_id, caller.id, notification_id)
        if notification is None:
            raise NotificationNotFound()
        if notification.read_at is not None:
            return notification
        notification.read_at = utcnow()
        await session.flush()
        unread = await store.unread_count(session, caller.account_id, caller.id)
        envelope = events.notification_read(
            caller.account_id,
            caller.id,
            notification_id=notification.id,
            read_at=notification.read_at,
            unread_count=unread,
        )
        await work.publish(envelope)
        return notification


async def mark_all_read(runtime: DatabaseRuntime, *, caller: Principal) -> int:
    """The caller read every notification of his; his other devices hear it when there was
    one unread (``notification.read``, ``notification_id`` null). How many were unread."""
    async with runtime.work() as work:
        now = utcnow()
        marked = await store.mark_all_read(work.session, caller.account_id, caller.id, at=now)
        if marked:
            envelope = events.notification_read(
                caller.account_id,
                caller.id,
                notification_id=None,
                read_at=now,
                unread_count=0,
            )
            await work.publish(envelope)
        return marked
