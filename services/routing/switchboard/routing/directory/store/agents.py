"""Queries of accounts, agents and refresh tokens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.pagination import PageQuery, Rows, SortKey, ordered, split_page_by
from switchboard.routing.assignment.domain.availability import AgentStatus
from switchboard.routing.assignment.store import loads
from switchboard.routing.store.models import Agent, InboxMember, TeamMember
from switchboard.routing.store.paging import of_the_account, rows_oldest_first
from switchboard.routing.store.queries import by_id, grouped


async def by_email(session: AsyncSession, email: str) -> Agent | None:
    agent: Agent | None = await session.scalar(select(Agent).where(Agent.email == email))
    return agent


async def get(session: AsyncSession, account_id: UUID, agent_id: UUID) -> Agent | None:
    return await by_id(session, Agent, account_id, agent_id)


async def active_admins(session: AsyncSession, account_id: UUID, *, excluding: UUID) -> list[UUID]:
    """The account's other active admins, locked: two admins demoting each other at once do
    not both succeed."""
    rows = await session.scalars(
        select(Agent.id)
        .where(
            Agent.account_id == account_id,
            Agent.role == "admin",
            Agent.active.is_(True),
            Agent.id != excluding,
        )
        .with_for_update(key_share=True)
    )
    return list(rows)


async def get_for_update(session: AsyncSession, account_id: UUID, agent_id: UUID) -> Agent | None:
    agent: Agent | None = await session.scalar(
        select(Agent)
        .where(Agent.account_id == account_id, Agent.id == agent_id)
        .with_for_update(key_share=True)
    )
    return agent


async def page(session: AsyncSession, account_id: UUID, page: PageQuery) -> Rows[Agent]:
    return await of_the_account(session, Agent, account_id, page)


async def available_for_transfer(
    session: AsyncSession, account_id: UUID, caller_id: UUID, page: PageQuery
) -> Rows[Agent]:
    """Agents a transfer can go to right now (status online, a live connection), the least
    loaded first; the caller is left out. The cursor names a load and an id."""
    load = loads.load_of(Agent.id)
    statement = select(Agent, load.label("load")).where(
        Agent.account_id == account_id,
        Agent.id != caller_id,
        Agent.status == AgentStatus.online.value,
        Agent.connected.is_(True),
    )
    keys = (SortKey(load), SortKey(Agent.id, read=UUID))
    rows = [(row[0], int(row[1])) for row in await session.execute(ordered(statement, keys, page))]
    return split_page_by(rows, page, lambda row: [row[1], row[0].id]).map(lambda row: row[0])


Membership = TypeVar("Membership", InboxMember, TeamMember)


async def member_page(
    session: AsyncSession,
    membership: type[Membership],
    where: ColumnElement[bool],
    page: PageQuery,
) -> Rows[tuple[Membership, Agent]]:
    """The members of an inbox or a team with their agents, in the order they joined."""
    statement = select(membership, Agent).join(Agent, Agent.id == membership.agent_id).where(where)
    rows = await rows_oldest_first(
        session,
        statement,
        membership.added_at,
        membership.agent_id,
        page,
        lambda row: (row[0].added_at, row[0].agent_id),
    )
    return rows.map(lambda row: (row[0], row[1]))


async def inbox_ids_of(session: AsyncSession, agent_ids: Sequence[UUID]) -> dict[UUID, list[UUID]]:
    """The inboxes of each agent, in the order they joined them."""
    inbox = InboxMember.inbox_id
    return await grouped(
        session, InboxMember.agent_id, inbox, agent_ids, InboxMember.added_at, inbox
    )


async def set_presence(
    session: AsyncSession, account_id: UUID, agent_id: UUID, *, connected: bool, at: datetime
) -> Agent | None:
    """Record presence unless a later presence event was already applied."""
    agent: Agent | None = await session.scalar(
        update(Agent)
        .where(Agent.account_id == account_id, Agent.id == agent_id)
        .where((Agent.presence_at.is_(None)) | (Agent.presence_at <= at))
        .values(connected=connected, presence_at=at)
        .returning(Agent)
    )
    return agent
