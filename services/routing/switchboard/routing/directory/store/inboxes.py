"""Queries of the inbox projection and of inbox membership."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, delete, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.routing.store.models import Agent, Inbox, InboxMember


async def upsert(session: AsyncSession, *, inbox_id: UUID, account_id: UUID, name: str) -> bool:
    """Create or rename the projection; False when the id belongs to another account."""
    table = Inbox.__table__
    values = insert(table).values(id=inbox_id, account_id=account_id, name=name)
    statement = values.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={"name": values.excluded.name},
        where=table.c.account_id == values.excluded.account_id,
    ).returning(table.c.id)
    return (await session.execute(statement)).first() is not None


async def get(session: AsyncSession, account_id: UUID, inbox_id: UUID) -> Inbox | None:
    inbox: Inbox | None = await session.scalar(
        select(Inbox).where(Inbox.account_id == account_id, Inbox.id == inbox_id)
    )
    return inbox


async def add_member(
    session: AsyncSession, *, account_id: UUID, inbox_id: UUID, agent_id: UUID, at: datetime
) -> bool:
    """Add the membership; False when the agent already was a member."""
    table = InboxMember.__table__
    result = await session.execute(
        insert(table)
        .values(inbox_id=inbox_id, agent_id=agent_id, account_id=account_id, added_at=at)
        .on_conflict_do_nothing()
        .returning(table.c.agent_id)
    )
    return result.first() is not None


async def remove_member(
    session: AsyncSession, *, account_id: UUID, inbox_id: UUID, agent_id: UUID
) -> bool:
    """Remove the membership; False when the agent was not a member."""
    table = InboxMember.__table__
    result = await session.execute(
        delete(table)
        .where(
            table.c.account_id == account_id,
            table.c.inbox_id == inbox_id,
            table.c.agent_id == agent_id,
        )
        .returning(table.c.agent_id)
    )
    return result.first() is not None


def members_page(
    account_id: UUID, inbox_id: UUID, *, after: tuple[datetime, UUID] | None, limit: int
) -> Select[InboxMember, Agent]:
    statement = (
        select(InboxMember, Agent)
        .join(Agent, Agent.id == InboxMember.agent_id)
        .where(InboxMember.account_id == account_id, InboxMember.inbox_id == inbox_id)
    )
    if after is not None:
        statement = statement.where(
            tuple_(InboxMember.added_at, InboxMember.agent_id) > tuple_(*after)
        )
    return statement.order_by(InboxMember.added_at, InboxMember.agent_id).limit(limit)
