"""Queries of offers, transfers, invitations, participants and response timers."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, delete, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from switchboard.routing.store.models import (
    Invitation,
    Offer,
    Participant,
    ResponseTimer,
    Transfer,
)


async def lock_offer(session: AsyncSession, account_id: UUID, offer_id: UUID) -> Offer | None:
    offer: Offer | None = await session.scalar(
        select(Offer).where(Offer.account_id == account_id, Offer.id == offer_id).with_for_update()
    )
    return offer


async def get_offer(session: AsyncSession, offer_id: UUID) -> Offer | None:
    offer: Offer | None = await session.get(Offer, offer_id)
    return offer


async def open_offer_of(session: AsyncSession, conversation_id: UUID) -> Offer | None:
    offer: Offer | None = await session.scalar(
        select(Offer)
        .where(Offer.conversation_id == conversation_id, Offer.status == "open")
        .with_for_update()
    )
    return offer


async def due_offers(
    session: AsyncSession, now: datetime, limit: int = 200
) -> list[tuple[UUID, UUID]]:
    rows = await session.execute(
        select(Offer.account_id, Offer.id)
        .where(Offer.status == "open", Offer.expires_at <= now)
        .limit(limit)
    )
    return [(row[0], row[1]) for row in rows]


async def lock_transfer(
    session: AsyncSession, account_id: UUID, transfer_id: UUID
) -> Transfer | None:
    transfer: Transfer | None = await session.scalar(
        select(Transfer)
        .where(Transfer.account_id == account_id, Transfer.id == transfer_id)
        .with_for_update()
    )
    return transfer


async def get_transfer(
    session: AsyncSession, account_id: UUID, transfer_id: UUID
) -> Transfer | None:
    transfer: Transfer | None = await session.scalar(
        select(Transfer).where(Transfer.account_id == account_id, Transfer.id == transfer_id)
    )
    return transfer


async def pending_transfers_of(session: AsyncSession, conversation_id: UUID) -> list[Transfer]:
    rows = await session.scalars(
        select(Transfer)
        .where(Transfer.conversation_id == conversation_id, Transfer.status == "pending")
        .with_for_update()
    )
    return list(rows)


async def due_transfers(
    session: AsyncSession, now: datetime, limit: int = 200
) -> list[tuple[UUID, UUID]]:
    rows = await session.execute(
        select(Transfer.account_id, Transfer.id)
        .where(Transfer.status == "pending", Transfer.expires_at <= now)
        .limit(limit)
    )
    return [(row[0], row[1]) for row in rows]


def transfers_page(
    conversation_id: UUID, *, after: tuple[datetime, UUID] | None, limit: int
) -> Select[Transfer]:
    statement = select(Transfer).where(Transfer.conversation_id == conversation_id)
    if after is not None:
        statement = statement.where(tuple_(Transfer.created_at, Transfer.id) > tuple_(*after))
    return statement.order_by(Transfer.created_at, Transfer.id).limit(limit)


async def lock_invitation(
    session: AsyncSession, account_id: UUID, invitation_id: UUID
) -> Invitation | None:
    invitation: Invitation | None = await session.scalar(
        select(Invitation)
        .where(Invitation.account_id == account_id, Invitation.id == invitation_id)
        .with_for_update()
    )
    return invitation


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
    table = Participant.__table__
    result = await session.execute(
        insert(table)
        .values(
            conversation_id=conversation_id,
            agent_id=agent_id,
            account_id=account_id,
            kind=kind,
            added_at=at,
        )
        .on_conflict_do_nothing()
        .returning(table.c.agent_id)
    )
    return result.first() is not None


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


def participants_page(
    conversation_id: UUID, *, after: tuple[datetime, UUID] | None, limit: int
) -> Select[Participant]:
    statement = select(Participant).where(Participant.conversation_id == conversation_id)
    if after is not None:
        statement = statement.where(
            tuple_(Participant.added_at, Participant.agent_id) > tuple_(*after)
        )
    return statement.order_by(Participant.added_at, Participant.agent_id).limit(limit)


async def start_timer(
    session: AsyncSession,
    *,
    account_id: UUID,
    conversation_id: UUID,
    agent_id: UUID,
    due_at: datetime,
) -> None:
    table = ResponseTimer.__table__
    await session.execute(
        insert(table)
        .values(
            conversation_id=conversation_id, account_id=account_id, agent_id=agent_id, due_at=due_at
        )
        .on_conflict_do_update(
            index_elements=[table.c.conversation_id],
            set_={"agent_id": agent_id, "due_at": due_at},
        )
    )


async def stop_timer(
    session: AsyncSession | AsyncConnection, conversation_id: UUID, agent_id: UUID | None = None
) -> bool:
    """Stop the conversation's timer (only ``agent_id``'s when given); True when one ran."""
    statement = delete(ResponseTimer).where(ResponseTimer.conversation_id == conversation_id)
    if agent_id is not None:
        statement = statement.where(ResponseTimer.agent_id == agent_id)
    result = await session.execute(statement.returning(ResponseTimer.conversation_id))
    return result.first() is not None


async def timer_of(session: AsyncSession, conversation_id: UUID) -> ResponseTimer | None:
    timer: ResponseTimer | None = await session.get(ResponseTimer, conversation_id)
    return timer


async def due_timers(
    session: AsyncSession, now: datetime, limit: int = 200
) -> list[tuple[UUID, UUID, UUID]]:
    rows = await session.execute(
        select(ResponseTimer.account_id, ResponseTimer.conversation_id, ResponseTimer.agent_id)
        .where(ResponseTimer.due_at <= now)
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in rows]
