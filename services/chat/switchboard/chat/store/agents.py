"""The agent-name projection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store.models import Agent


async def upsert(
    session: AsyncSession,
    *,
    agent_id: UUID,
    account_id: UUID,
    name: str,
    email: str | None,
    at: datetime,
) -> None:
    statement = insert(Agent).values(
        id=agent_id, account_id=account_id, name=name, email=email, updated_at=at
    )
    statement = statement.on_conflict_do_update(
        index_elements=[Agent.id],
        set_={"name": name, "email": email, "updated_at": at},
        where=Agent.account_id == account_id,
    )
    await session.execute(statement)


async def names(
    session: AsyncSession, account_id: UUID, agent_ids: Iterable[UUID]
) -> dict[UUID, str]:
    """The projected names of those agents of the account that chat knows."""
    wanted = list(set(agent_ids))
    if not wanted:
        return {}
    rows = await session.execute(
        select(Agent.id, Agent.name).where(Agent.account_id == account_id, Agent.id.in_(wanted))
    )
    return {row[0]: row[1] for row in rows.all() if row[1]}
