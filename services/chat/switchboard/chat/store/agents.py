"""The agent-name projection."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

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
