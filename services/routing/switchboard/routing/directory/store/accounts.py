"""Queries of accounts and their routing settings."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.routing.store.models import Account


async def get(session: AsyncSession, account_id: UUID, *, lock: bool = False) -> Account | None:
    account: Account | None = await session.get(Account, account_id, with_for_update=lock)
    return account
