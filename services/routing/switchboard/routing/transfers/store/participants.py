"""Queries of invitations and participants."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.pagination import PageQuery, Rows
from switchboard.routing.store.models import Invitation, Participant
from switchboard.routing.store.paging import oldest_first
from switchboard.routing.store.queries import added, by_id


async def get_invitation(
    session: AsyncSession, account_id: UUID, invitation_id: UUID
) -> Invitation | None:
    return await by_id(session, Invitation, account_id, invitation_id)


async def lock_invitation(
    session: AsyncSession, account_id: UUID, invitation_id: UUID
) -> Invitation | None:
    return await by_id(session, Invitation, account_id, invitation_id, lock=True)


async def pending_invitation(
    session: AsyncSession, conversation_id: UUID, agent_id: UUID
) -> Invitation | None:
    invitation: Invitation | None = await session.scalar(
        select(Invitation).where(
            Invitation.conversation_id == conversation_id,
            Invitation.agent_id == agent_id,
            Invitation.status == "pending",
        )
    )
    return invitation


async def participants(session: AsyncSession, conversation_id: UUID) -> dict[UUID, str]:
    rows = await session.execute(
        select(Participant.agent_id, Participant.kind).where(
            Participant.conversation_id == conversation_id
        )
    )
    return {row[0]: row[1] for row in rows}


async def add_participant(
    session: AsyncSession,
    *,
    account_id: UUID,
    conversation_id: UUID,
    agent_id: UUID,
    kind: str,
    at: datetime,
) -> bool:
    return await added(
        session,
        Participant.__table__,
        conversation_id=conversation_id,
        agent_id=agent_id,
        account_id=account_id,
        kind=kind,
        added_at=at,
    )


async def remove_participant(
    session: AsyncSession, conversation_id: UUID, agent_id: UUID
) -> str | None:
    """Remove the agent from the conversation; the kind it had, or None when it was not in."""
    result = await session.execute(
        delete(Participant)
        .where(Participant.conversation_id == conversation_id, Participant.agent_id == agent_id)
        .returning(Participant.kind)
    )
    row = result.first()
    return None if row is None else str(row[0])


async def page(session: AsyncSession, conversation_id: UUID, page: PageQuery) -> Rows[Participant]:
    """The conversation's participants and monitors, in the order they joined."""
    statement = select(Participant).where(Participant.conversation_id == conversation_id)
    return await oldest_first(
        session,
        statement,
        Participant.added_at,
        Participant.agent_id,
        page,
        lambda p: (p.added_at, p.agent_id),
    )
