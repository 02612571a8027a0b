"""Queries of queue positions: who waits in an inbox's queue, and the places last told."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from switchboard.routing.assignment.store.queue import QUEUE_ORDER
from switchboard.routing.store.models import Conversation, QueuedConversation, QueuePosition


async def anyone_to_tell(connection: AsyncSession | AsyncConnection, inbox_id: UUID) -> bool:
    """Somebody waits in the inbox's queue, or was told a position that may now be stale."""
    statement = select(
        or_(
            exists().where(QueuedConversation.inbox_id == inbox_id),
            exists().where(QueuePosition.inbox_id == inbox_id),
        )
    )
    return bool(await connection.scalar(statement))


async def try_lock_inbox(session: AsyncSession, inbox_id: UUID) -> bool:
    """The inbox's refresh lock for this transaction; False when another process holds it."""
    key = func.hashtext(f"routing-queue:{inbox_id}")
    return bool(await session.scalar(select(func.pg_try_advisory_xact_lock(key))))


async def waiting(
    session: AsyncSession, account_id: UUID, inbox_id: UUID
) -> list[tuple[UUID, UUID | None]]:
    """(conversation, visitor) of everyone in the inbox's queue, in queue order."""
    rows = await session.execute(
        select(QueuedConversation.conversation_id, Conversation.visitor_id)
        .outerjoin(Conversation, Conversation.id == QueuedConversation.conversation_id)
        .where(QueuedConversation.account_id == account_id, QueuedConversation.inbox_id == inbox_id)
        .order_by(*QUEUE_ORDER)
    )
    return [(row[0], row[1]) for row in rows]


async def told(session: AsyncSession, inbox_id: UUID) -> list[tuple[UUID, int, UUID | None]]:
    """(conversation, position, visitor) of every position last told in the inbox."""
    rows = await session.execute(
        select(
            QueuePosition.conversation_id, QueuePosition.position, QueuePosition.visitor_id
        ).where(QueuePosition.inbox_id == inbox_id)
    )
    return [(row[0], int(row[1]), row[2]) for row in rows]


async def record(
    session: AsyncSession, staying: Sequence[dict[str, Any]], gone: Sequence[UUID]
) -> None:
    """Write the new positions of those ``staying`` and forget those ``gone``."""
    if staying:
        statement = insert(QueuePosition.__table__).values(list(staying))
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[QueuePosition.__table__.c.conversation_id],
                set_={"position": statement.excluded.position},
            )
        )
    if gone:
        await session.execute(
            delete(QueuePosition).where(QueuePosition.conversation_id.in_(list(gone)))
        )
