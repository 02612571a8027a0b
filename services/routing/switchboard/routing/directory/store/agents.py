"""Queries of accounts, agents and refresh tokens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.routing.store.models import Agent, InboxMember, RefreshToken


async def by_email(session: AsyncSession, email: str) -> Agent | None:
    agent: Agent | None = await session.scalar(select(Agent).where(Agent.email == email))
    return agent


async def get(session: AsyncSession, account_id: UUID, agent_id: UUID) -> Agent | None:
    agent: Agent | None = await session.scalar(
        select(Agent).where(Agent.account_id == account_id, Agent.id == agent_id)
    )
    return agent


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


def page(account_id: UUID, *, after: tuple[datetime, UUID] | None, limit: int) -> Select[Agent]:
    statement = select(Agent).where(Agent.account_id == account_id)
    if after is not None:
        statement = statement.where(tuple_(Agent.created_at, Agent.id) > tuple_(*after))
    return statement.order_by(Agent.created_at, Agent.id).limit(limit)


async def inbox_ids_of(session: AsyncSession, agent_ids: Sequence[UUID]) -> dict[UUID, list[UUID]]:
    """The inboxes of each agent, in the order they joined them."""
    result: dict[UUID, list[UUID]] = {agent_id: [] for agent_id in agent_ids}
    if not agent_ids:
        return result
    rows = await session.execute(
        select(InboxMember.agent_id, InboxMember.inbox_id)
        .where(InboxMember.agent_id.in_(agent_ids))
        .order_by(InboxMember.added_at, InboxMember.inbox_id)
    )
    for agent_id, inbox_id in rows:
        result[agent_id].append(inbox_id)
    return result


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


async def refresh_token_for_update(session: AsyncSession, token_id: str) -> RefreshToken | None:
    token: RefreshToken | None = await session.scalar(
        select(RefreshToken).where(RefreshToken.id == token_id).with_for_update()
    )
    return token
