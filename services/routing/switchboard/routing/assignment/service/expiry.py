"""The sweep behind the timed jobs: whatever is overdue expires, even if its job was lost."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.service.offers import expire_offer
from switchboard.routing.assignment.service.timers import response_timeout
from switchboard.routing.assignment.store import offers as offer_store
from switchboard.routing.assignment.store import timers as timer_store
from switchboard.routing.transfers.service.answers import expire_transfer
from switchboard.routing.transfers.store import transfers as transfer_store


async def expire_overdue(runtime: DatabaseRuntime, *, now: datetime | None = None) -> int:
    """Expire overdue offers and transfers and fire overdue response timers; how many."""
    now = now or utcnow()
    async with runtime.db.session() as session:
        due = await _due(session, now)
    offers, transfers, timers = due
    done = 0
    for account_id, offer_id in offers:
        done += await expire_offer(runtime, account_id=account_id, offer_id=offer_id, now=now)
    for account_id, transfer_id in transfers:
        done += await expire_transfer(
            runtime, account_id=account_id, transfer_id=transfer_id, now=now
        )
    for account_id, conversation_id, agent_id in timers:
        done += await response_timeout(
            runtime,
            account_id=account_id,
            conversation_id=conversation_id,
            agent_id=agent_id,
            now=now,
        )
    return done


Due = tuple[list[tuple[UUID, UUID]], list[tuple[UUID, UUID]], list[tuple[UUID, UUID, UUID]]]


async def _due(session: AsyncSession, now: datetime) -> Due:
    return (
        await offer_store.due_offers(session, now),
        await transfer_store.due_transfers(session, now),
        await timer_store.due_timers(session, now),
    )
