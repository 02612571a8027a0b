"""Queries of the unassigned queue and of assignments."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, Uuid, delete, exists, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.db import Timestamp
from switchboard.routing.domain.availability import AgentStatus
from switchboard.routing.domain.eligibility import Candidate
from switchboard.routing.store.models import Agent, Assignment, InboxMember, QueuedConversation


async def enqueue(
    session: AsyncSession,
    *,
    conversation_id: UUID,
    account_id: UUID,
    inbox_id: UUID,
    at: datetime,
) -> bool:
    """Queue the conversation unless it is queued or assigned already."""
    table = QueuedConversation.__table__
    already_assigned = exists().where(Assignment.conversation_id == conversation_id)
    source = select(
        literal(conversation_id, Uuid()),
        literal(account_id, Uuid()),
        literal(inbox_id, Uuid()),
        literal(at, Timestamp),
    ).where(~already_assigned)
    result = await session.execute(
        insert(table)
        .from_select(["conversation_id", "account_id", "inbox_id", "queued_at"], source)
        .on_conflict_do_nothing()
        .returning(table.c.conversation_id)
    )
    return result.first() is not None


async def dequeue(session: AsyncSession, account_id: UUID, conversation_id: UUID) -> None:
    await session.execute(
        delete(QueuedConversation).where(
            QueuedConversation.account_id == account_id,
            QueuedConversation.conversation_id == conversation_id,
        )
    )


async def take_oldest(
    session: AsyncSession, account_id: UUID, inbox_ids: Collection[UUID]
) -> QueuedConversation | None:
    """Lock the oldest queued conversation of these inboxes that nobody else holds."""
    queued: QueuedConversation | None = await session.scalar(
        select(QueuedConversation)
        .where(
            QueuedConversation.account_id == account_id,
            QueuedConversation.inbox_id.in_(inbox_ids),
        )
        .order_by(QueuedConversation.queued_at, QueuedConversation.conversation_id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return queued


async def any_queued(session: AsyncSession, account_id: UUID, inbox_ids: Collection[UUID]) -> bool:
    found = await session.scalar(
        select(
            exists().where(
                QueuedConversation.account_id == account_id,
                QueuedConversation.inbox_id.in_(inbox_ids),
            )
        )
    )
    return bool(found)


async def candidates(session: AsyncSession, inbox_id: UUID) -> list[Candidate]:
    """Every member of the inbox with what eligibility and the rotation look at."""
    rows = await session.execute(
        select(
            Agent.id,
            Agent.status,
            Agent.accept_auto_assign,
            Agent.connected,
            Agent.last_assigned_at,
        )
        .join(InboxMember, InboxMember.agent_id == Agent.id)
        .where(InboxMember.inbox_id == inbox_id)
    )
    return [_to_candidate(row) for row in rows]


def _candidate_of(agent_id: UUID) -> Select[Any]:
    return select(
        Agent.id, Agent.status, Agent.accept_auto_assign, Agent.connected, Agent.last_assigned_at
    ).where(Agent.id == agent_id)


def _to_candidate(row: Any) -> Candidate:
    return Candidate(
        id=row.id,
        status=AgentStatus(row.status),
        accept_auto_assign=row.accept_auto_assign,
        connected=row.connected,
        last_assigned_at=row.last_assigned_at,
    )


async def candidate(session: AsyncSession, agent_id: UUID) -> Candidate | None:
    row = (await session.execute(_candidate_of(agent_id))).first()
    return None if row is None else _to_candidate(row)


async def lock_candidate(session: AsyncSession, agent_id: UUID) -> Candidate | None:
    """Lock the agent's row unless another assignment holds it; its state as locked."""
    # NO KEY UPDATE: foreign-key checks of other rows (memberships, tokens) do not block it.
    locking = _candidate_of(agent_id).with_for_update(skip_locked=True, key_share=True)
    row = (await session.execute(locking)).first()
    return None if row is None else _to_candidate(row)


async def record_assignment(
    session: AsyncSession, queued: QueuedConversation, *, agent_id: UUID, at: datetime
) -> None:
    await session.execute(update(Agent).where(Agent.id == agent_id).values(last_assigned_at=at))
    await session.delete(queued)
    await session.execute(
        insert(Assignment.__table__)
        .values(
            conversation_id=queued.conversation_id,
            account_id=queued.account_id,
            inbox_id=queued.inbox_id,
            agent_id=agent_id,
            assigned_at=at,
        )
        .on_conflict_do_update(
            index_elements=[Assignment.__table__.c.conversation_id],
            set_={"agent_id": agent_id, "assigned_at": at},
        )
    )


async def record_manual_assignment(
    session: AsyncSession,
    *,
    conversation_id: UUID,
    account_id: UUID,
    inbox_id: UUID,
    agent_id: UUID,
    at: datetime,
) -> None:
    """An assignment made in chat (by hand): the conversation leaves the queue."""
    await dequeue(session, account_id, conversation_id)
    table = Assignment.__table__
    await session.execute(
        insert(table)
        .values(
            conversation_id=conversation_id,
            account_id=account_id,
            inbox_id=inbox_id,
            agent_id=agent_id,
            assigned_at=at,
        )
        .on_conflict_do_update(
            index_elements=[table.c.conversation_id],
            set_={"agent_id": agent_id},
        )
    )


async def inboxes_with_queue(session: AsyncSession) -> list[tuple[UUID, UUID]]:
    """(account id, inbox id) of every inbox with someone waiting."""
    rows = await session.execute(
        select(QueuedConversation.account_id, QueuedConversation.inbox_id).distinct()
    )
    return [(row.account_id, row.inbox_id) for row in rows]
