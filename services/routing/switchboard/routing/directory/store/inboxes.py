"""Queries of the inbox projection and of inbox membership."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.pagination import PageQuery, Rows
from switchboard.routing.directory.store.agents import member_page
from switchboard.routing.store.models import Agent, Inbox, InboxMember
from switchboard.routing.store.queries import added, by_id


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
    return await by_id(session, Inbox, account_id, inbox_id)


async def add_member(
    session: AsyncSession, *, account_id: UUID, inbox_id: UUID, agent_id: UUID, at: datetime
) -> bool:
    """Add the membership; False when the agent already was a member."""
    values = {"inbox_id": inbox_id, "agent_id": agent_id, "account_id": account_id, "added_at": at}
    return await added(session, InboxMember.__table__, **values)


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


async def members_page(
    session: AsyncSession, account_id: UUID, inbox_id: UUID, page: PageQuery
) -> Rows[tuple[InboxMember, Agent]]:
    where = (InboxMember.account_id == account_id) & (InboxMember.inbox_id == inbox_id)
    return await member_page(session, InboxMember, where, page)


async def is_member(session: AsyncSession, inbox_id: UUID, agent_id: UUID) -> bool:
    found = await session.scalar(
        select(exists().where(InboxMember.inbox_id == inbox_id, InboxMember.agent_id == agent_id))
    )
    return bool(found)
