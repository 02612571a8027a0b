"""Queries of the participants (and monitors) of conversations."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from sqlalchemy import and_, bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store.models import Agent, ConversationParticipant

P = ConversationParticipant


class ParticipantView(NamedTuple):
    agent_id: UUID
    name: str | None
    kind: str


async def kind_of(session: AsyncSession, conversation_id: UUID, agent_id: UUID) -> str | None:
    return await session.scalar(
        select(P.kind).where(P.conversation_id == conversation_id, P.agent_id == agent_id)
    )


async def put(
    session: AsyncSession,
    *,
    account_id: UUID,
    conversation_id: UUID,
    agent_id: UUID,
    kind: str,
    at: datetime,
) -> None:
    """Add the agent as ``kind``, or change its kind (keeping when it first joined)."""
    statement = insert(P).values(
        conversation_id=conversation_id,
        agent_id=agent_id,
        kind=kind,
        account_id=account_id,
        joined_at=at,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[P.conversation_id, P.agent_id], set_={"kind": kind}
    )
    await session.execute(statement)


async def remove(session: AsyncSession, conversation_id: UUID, agent_id: UUID) -> None:
    await session.execute(
        delete(P).where(P.conversation_id == conversation_id, P.agent_id == agent_id)
    )


_AGENT_IDS = (
    select(P.agent_id)
    .where(P.conversation_id == bindparam("conversation_id"))
    .order_by(P.joined_at, P.agent_id)
)  # built once: every message asks


async def agent_ids(session: AsyncSession, conversation_id: UUID) -> list[UUID]:
    """Every participant and monitor: the agents a conversation's events must also reach."""
    rows = await session.scalars(_AGENT_IDS, {"conversation_id": conversation_id})
    return list(rows)


async def listed(
    session: AsyncSession, account_id: UUID, conversation_id: UUID
) -> list[ParticipantView]:
    """Participants and monitors with their projected names, in the order they joined."""
    rows = await session.execute(
        select(P.agent_id, Agent.name, P.kind)
        .outerjoin(Agent, and_(Agent.id == P.agent_id, Agent.account_id == P.account_id))
        .where(P.conversation_id == conversation_id, P.account_id == account_id)
        .order_by(P.joined_at, P.agent_id)
    )
    return [ParticipantView(agent_id=r[0], name=r[1], kind=r[2]) for r in rows.all()]
