"""Queries of transfers."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.pagination import PageQuery, Rows
from switchboard.routing.store.models import (
    Transfer,
)
from switchboard.routing.store.paging import oldest_first
from switchboard.routing.store.queries import by_id, due


async def lock_transfer(
    session: AsyncSession, account_id: UUID, transfer_id: UUID
) -> Transfer | None:
    return await by_id(session, Transfer, account_id, transfer_id, lock=True)


async def get_transfer(
    session: AsyncSession, account_id: UUID, transfer_id: UUID
) -> Transfer | None:
    return await by_id(session, Transfer, account_id, transfer_id)


async def pending_transfers_of(session: AsyncSession, conversation_id: UUID) -> list[Transfer]:
    rows = await session.scalars(
        select(Transfer)
        .where(Transfer.conversation_id == conversation_id, Transfer.status == "pending")
        .with_for_update()
    )
    return list(rows)


async def due_transfers(session: AsyncSession, now: datetime) -> list[tuple[UUID, UUID]]:
    return await due(session, Transfer, "pending", now)


async def page(session: AsyncSession, conversation_id: UUID, page: PageQuery) -> Rows[Transfer]:
    """The conversation's transfers, oldest first."""
    statement = select(Transfer).where(Transfer.conversation_id == conversation_id)
    return await oldest_first(
        session, statement, Transfer.created_at, Transfer.id, page, lambda t: (t.created_at, t.id)
    )
