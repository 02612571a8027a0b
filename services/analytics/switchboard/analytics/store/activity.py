"""Queries of the daily activity read model."""

from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.analytics.domain.counting import Increment
from switchboard.analytics.store.models import DailyActivity


async def add(session: AsyncSession, account_id: UUID, increment: Increment) -> None:
    table = DailyActivity.__table__
    statement = insert(table).values(
        account_id=account_id,
        day=increment.day,
        conversations=increment.conversations,
        messages=increment.messages,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.account_id, table.c.day],
        set_={
            "conversations": table.c.conversations + increment.conversations,
            "messages": table.c.messages + increment.messages,
        },
    )
    await session.execute(statement)


async def between(
    session: AsyncSession, account_id: UUID, start: date, end: date
) -> list[DailyActivity]:
    rows = await session.scalars(
        select(DailyActivity)
        .where(
            DailyActivity.account_id == account_id,
            DailyActivity.day >= start,
            DailyActivity.day <= end,
        )
        .order_by(DailyActivity.day)
    )
    return list(rows)
