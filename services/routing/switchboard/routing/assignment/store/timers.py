"""Queries of response timers."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from switchboard.routing.store.models import (
    ResponseTimer,
)


async def start_timer(
    session: AsyncSession,
    *,
    account_id: UUID,
    conversation_id: UUID,
    agent_id: UUID,
    due_at: datetime,
) -> None:
    table = ResponseTimer.__table__
    await session.execute(
        insert(table)
        .values(
            conversation_id=conversation_id, account_id=account_id, agent_id=agent_id, due_at=due_at
        )
        .on_conflict_do_update(
            index_elements=[table.c.conversation_id],
            set_={"agent_id": agent_id, "due_at": due_at},
        )
    )


async def stop_timer(
    session: AsyncSession | AsyncConnection, conversation_id: UUID, agent_id: UUID | None = None
) -> bool:
    """Stop the conversation's timer (only ``agent_id``'s when given); True when one ran."""
    statement = delete(ResponseTimer).where(ResponseTimer.conversation_id == conversation_id)
    if agent_id is not None:
        statement = statement.where(ResponseTimer.agent_id == agent_id)
    result = await session.execute(statement.returning(ResponseTimer.conversation_id))
    return result.first() is not None


async def timer_of(session: AsyncSession, conversation_id: UUID) -> ResponseTimer | None:
    timer: ResponseTimer | None = await session.get(ResponseTimer, conversation_id)
    return timer


async def due_timers(
    session: AsyncSession, now: datetime, limit: int = 200
) -> list[tuple[UUID, UUID, UUID]]:
    rows = await session.execute(
        select(ResponseTimer.account_id, ResponseTimer.conversation_id, ResponseTimer.agent_id)
        .where(ResponseTimer.due_at <= now)
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in rows]
