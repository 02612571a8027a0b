"""Agents as routing candidates: eligibility, current load and effective capacity."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from switchboard.routing.assignment.domain.availability import AgentStatus
from switchboard.routing.assignment.domain.eligibility import Candidate
from switchboard.routing.store.conversations import ACTIVE_STATUSES
from switchboard.routing.store.models import (
    Account,
    Agent,
    Assignment,
    Conversation,
    InboxMember,
    TeamMember,
)


def load_of(agent_id: Any) -> ColumnElement[int]:
    """Assigned conversations of the agent that are open or pending (a correlated count)."""
    return (
        select(func.count())
        .select_from(Assignment)
        .outerjoin(Conversation, Conversation.id == Assignment.conversation_id)
        .where(
            Assignment.agent_id == agent_id,
            func.coalesce(Conversation.status, "open").in_(ACTIVE_STATUSES),
        )
        .scalar_subquery()
    )


def capacity_of() -> ColumnElement[int]:
    return func.coalesce(Agent.capacity, Account.default_capacity)


def _candidates() -> Select[UUID, str, bool, bool, datetime | None, int, int]:
    return select(
        Agent.id,
        Agent.status,
        Agent.accept_auto_assign,
        Agent.connected,
        Agent.last_assigned_at,
        load_of(Agent.id).label("load"),
        capacity_of().label("capacity"),
    ).join(Account, Account.id == Agent.account_id)


def _to_candidate(row: Any) -> Candidate:
    return Candidate(
        id=row.id,
        status=AgentStatus(row.status),
        accept_auto_assign=row.accept_auto_assign,
        connected=row.connected,
        last_assigned_at=row.last_assigned_at,
        load=int(row.load),
        capacity=int(row.capacity),
    )


async def inbox_candidates(session: AsyncSession, inbox_id: UUID) -> list[Candidate]:
    """Every member of the inbox with what eligibility, load and the rotation look at."""
    return await _members(session, InboxMember.agent_id, InboxMember.inbox_id == inbox_id)


async def team_candidates(session: AsyncSession, team_id: UUID) -> list[Candidate]:
    return await _members(session, TeamMember.agent_id, TeamMember.team_id == team_id)


async def _members(
    session: AsyncSession, member: InstrumentedAttribute[UUID], where: ColumnElement[bool]
) -> list[Candidate]:
    rows = await session.execute(_candidates().join(member.class_, member == Agent.id).where(where))
    return [_to_candidate(row) for row in rows]


async def candidate(session: AsyncSession, agent_id: UUID) -> Candidate | None:
    row = (await session.execute(_candidates().where(Agent.id == agent_id))).first()
    return None if row is None else _to_candidate(row)


async def candidates_of(session: AsyncSession, agent_ids: Collection[UUID]) -> list[Candidate]:
    if not agent_ids:
        return []
    rows = await session.execute(_candidates().where(Agent.id.in_(list(agent_ids))))
    return [_to_candidate(row) for row in rows]


async def lock_agent(session: AsyncSession, agent_id: UUID, *, skip_locked: bool) -> bool:
    """Lock the agent's row (every new assignment of the agent does, so loads never race).

    NO KEY UPDATE: foreign-key checks of other rows (memberships, tokens) do not block it.
    With ``skip_locked`` it returns False instead of waiting for another transaction.
    """
    found = await session.scalar(
        select(Agent.id)
        .where(Agent.id == agent_id)
        .with_for_update(skip_locked=skip_locked, key_share=True)
    )
    return found is not None


async def lock_candidate(
    session: AsyncSession, agent_id: UUID, *, skip_locked: bool = True
) -> Candidate | None:
    """Lock the agent, then read it afresh: the load counts every committed assignment."""
    if not await lock_agent(session, agent_id, skip_locked=skip_locked):
        return None
    return await candidate(session, agent_id)


async def loads(session: AsyncSession, agent_ids: Sequence[UUID]) -> dict[UUID, tuple[int, int]]:
    """(load, effective capacity) of each agent."""
    if not agent_ids:
        return {}
    rows = await session.execute(
        select(Agent.id, load_of(Agent.id), capacity_of())
        .join(Account, Account.id == Agent.account_id)
        .where(Agent.id.in_(list(agent_ids)))
    )
    return {row[0]: (int(row[1]), int(row[2])) for row in rows}
