"""Queries of the conversation projection: the row every routing change of a conversation locks."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from switchboard.routing.store.models import Assignment, Conversation
from switchboard.routing.store.queries import by_id

# Statuses in which an assigned conversation takes one of its agent's slots.
ACTIVE_STATUSES = ("open", "pending")


async def record(
    session: AsyncSession,
    *,
    conversation_id: UUID,
    account_id: UUID,
    inbox_id: UUID,
    visitor_id: UUID | None,
    status: str,
    at: datetime,
) -> None:
    """Insert the projection, or keep the one there (a redelivered ``conversation.created``)."""
    await session.execute(
        insert(Conversation.__table__)
        .values(
            id=conversation_id,
            account_id=account_id,
            inbox_id=inbox_id,
            visitor_id=visitor_id,
            status=status,
            created_at=at,
            updated_at=at,
        )
        .on_conflict_do_nothing()
    )


async def get(
    session: AsyncSession, account_id: UUID, conversation_id: UUID
) -> Conversation | None:
    return await by_id(session, Conversation, account_id, conversation_id)


async def exists(
    connection: AsyncSession | AsyncConnection, account_id: UUID, conversation_id: UUID
) -> bool:
    found = await connection.scalar(
        select(Conversation.id).where(
            Conversation.account_id == account_id, Conversation.id == conversation_id
        )
    )
    return found is not None


async def lock(
    session: AsyncSession, account_id: UUID, conversation_id: UUID
) -> Conversation | None:
    """Lock the conversation's routing row: transfers, assignments and status changes queue here."""
    return await by_id(session, Conversation, account_id, conversation_id, lock=True)


async def assignment_of(session: AsyncSession, conversation_id: UUID) -> Assignment | None:
    found: Assignment | None = await session.scalar(
        select(Assignment).where(Assignment.conversation_id == conversation_id)
    )
    return found


async def assignee_of(session: AsyncSession, conversation_id: UUID) -> UUID | None:
    found = await assignment_of(session, conversation_id)
    return None if found is None else found.agent_id


async def active_assigned_to(
    session: AsyncSession,
    account_id: UUID,
    agent_id: UUID,
    *,
    statuses: tuple[str, ...] = ACTIVE_STATUSES,
) -> list[Conversation]:
    """The agent's conversations that are open or pending (or of ``statuses``), oldest
    first."""
    rows = await session.scalars(
        select(Conversation)
        .join(Assignment, Assignment.conversation_id == Conversation.id)
        .where(
            Assignment.agent_id == agent_id,
            Conversation.account_id == account_id,
            Conversation.status.in_(statuses),
        )
        .order_by(Conversation.created_at, Conversation.id)
    )
    return list(rows)
