"""The team-name projection."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store.models import Team


async def upsert(
    session: AsyncSession, *, team_id: UUID, account_id: UUID, name: str, at: datetime
) -> None:
    statement = insert(Team).values(id=team_id, account_id=account_id, name=name, updated_at=at)
    statement = statement.on_conflict_do_update(
        index_elements=[Team.id],
        set_={"name": name, "updated_at": at},
        where=Team.account_id == account_id,
    )
    await session.execute(statement)


async def name(session: AsyncSession, account_id: UUID, team_id: UUID) -> str | None:
    return await session.scalar(
        select(Team.name).where(Team.id == team_id, Team.account_id == account_id)
    )
