"""Queries of broadcast offers."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.routing.store.models import (
    Offer,
)
from switchboard.routing.store.queries import by_id, due


async def lock_offer(session: AsyncSession, account_id: UUID, offer_id: UUID) -> Offer | None:
    return await by_id(session, Offer, account_id, offer_id, lock=True)


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


async def due_offers(session: AsyncSession, now: datetime) -> list[tuple[UUID, UUID]]:
    return await due(session, Offer, "open", now)
