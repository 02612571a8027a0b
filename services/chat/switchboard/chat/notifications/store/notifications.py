"""Queries of an agent's notifications (always by his account and his id)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.notifications.store.models import Notification
from switchboard.core.pagination import PageQuery, Rows, keyset, split_page


def _his(account_id: UUID, agent_id: UUID) -> ColumnElement[bool]:
    return (Notification.account_id == account_id) & (Notification.agent_id == agent_id)


async def page_of(
    session: AsyncSession, account_id: UUID, agent_id: UUID, page: PageQuery
) -> Rows[Notification]:
    """A page of the agent's notifications, newest first."""
    statement = select(Notification).where(_his(account_id, agent_id))
    keyed = keyset(statement, Notification.created_at, Notification.id, page)
    rows = list(await session.scalars(keyed))
    return split_page(rows, page, lambda row: (row.created_at, row.id))


async def unread_count(session: AsyncSession, account_id: UUID, agent_id: UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(_his(account_id, agent_id), Notification.read_at.is_(None))
    )
    return int(count or 0)


async def get(
    session: AsyncSession, account_id: UUID, agent_id: UUID, notification_id: UUID
) -> Notification | None:
    """The agent's notification (another agent's, or another account's, is None)."""
    found: Notification | None = await session.scalar(
        select(Notification)
        .where(_his(account_id, agent_id), Notification.id == notification_id)
        .with_for_update()
    )
    return found


async def mark_all_read(
    session: AsyncSession, account_id: UUID, agent_id: UUID, *, at: datetime
) -> int:
    """Every unread notification of the agent read at ``at``; how many were unread."""
    result = await session.execute(
        update(Notification)
        .where(_his(account_id, agent_id), Notification.read_at.is_(None))
        .values(read_at=at)
        .returning(Notification.id)
    )
    return len(result.all())


async def remove_of_message(
    session: AsyncSession, account_id: UUID, message_id: UUID, kind: str
) -> list[tuple[UUID, UUID]]:
    """Delete the notifications of ``kind`` the message made; (id, agent id) of each, in id
    order."""
    result = await session.execute(
        delete(Notification)
        .where(
            Notification.account_id == account_id,
            Notification.message_id == message_id,
            Notification.kind == kind,
        )
        .returning(Notification.id, Notification.agent_id)
    )
    return sorted((row[0], row[1]) for row in result.all())
