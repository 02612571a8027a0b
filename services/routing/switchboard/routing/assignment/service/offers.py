"""Broadcast offers: the first accept wins, the rest learn it is gone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.worker import job_runtime
from switchboard.routing.assignment.domain.eligibility import has_room
from switchboard.routing.assignment.domain.offers import (
    OfferStatus,
    accept_refusal,
    withdrawn_audience,
)
from switchboard.routing.assignment.service.moves import assign
from switchboard.routing.assignment.store import loads, queue
from switchboard.routing.assignment.store import offers as offer_store
from switchboard.routing.errors import AtCapacity, OfferExpired, OfferNotFound, refused
from switchboard.routing.service import events
from switchboard.routing.service.work import routing_work
from switchboard.routing.store import conversations
from switchboard.routing.store.models import Offer


async def accept_offer(
    runtime: DatabaseRuntime, *, account_id: UUID, agent_id: UUID, offer_id: UUID
) -> Offer:
    """Claim the offer: exactly one agent wins, every later accept is ``offer_taken``.

    The conversation's routing row is locked first, so concurrent accepts (on any number of
    routing processes) run one after another and see the first one's outcome.
    """
    async with routing_work(runtime, account_id) as work:
        session = work.session
        offer = await offer_store.get_offer(session, offer_id)
        if offer is None or offer.account_id != account_id:
            raise OfferNotFound()
        await conversations.lock(session, account_id, offer.conversation_id)
        offer = await offer_store.lock_offer(session, account_id, offer_id)
        assert offer is not None
        await session.refresh(offer)
        refusal = accept_refusal(
            status=OfferStatus(offer.status),
            expires_at=offer.expires_at,
            now=utcnow(),
            offered_to=offer.agent_ids,
            agent_id=agent_id,
        )
        if refusal is not None:
            raise refused(refusal)
        candidate = await loads.lock_candidate(session, agent_id, skip_locked=False)
        if candidate is None or not has_room(candidate):
            raise AtCapacity("you are at capacity")
        queued = await queue.get(session, account_id, offer.conversation_id, lock=True)
        if queued is None:
            raise OfferExpired()
        offer.status = OfferStatus.accepted.value
        offer.winner_id = agent_id
        offer.decided_at = utcnow()
        queued.offer_id = None
        await assign(
            work,
            conversation_id=offer.conversation_id,
            inbox_id=offer.inbox_id,
            agent_id=agent_id,
            reason="offer",
            queued=queued,
        )
        audience = withdrawn_audience(offer.agent_ids, agent_id)
        if audience:
            await work.publish(events.offer_withdrawn(offer, reason="taken", audience=audience))
    return offer


async def expire_offer(
    runtime: DatabaseRuntime, *, account_id: UUID, offer_id: UUID, now: datetime | None = None
) -> bool:
    """An open offer past its expiry is withdrawn; the conversation waits (and is offered
    again to whoever can take it then). True when it expired now."""
    now = now or utcnow()
    async with routing_work(runtime, account_id) as work:
        session = work.session
        offer = await offer_store.get_offer(session, offer_id)
        if offer is None or offer.status != OfferStatus.open or offer.expires_at > now:
            return False
        await conversations.lock(session, account_id, offer.conversation_id)
        offer = await offer_store.lock_offer(session, account_id, offer_id)
        assert offer is not None
        await session.refresh(offer)
        if offer.status != OfferStatus.open:
            return False
        offer.status = OfferStatus.expired.value
        offer.decided_at = now
        queued = await queue.get(session, account_id, offer.conversation_id, lock=True)
        if queued is not None:
            queued.offer_id = None
            work.touched_inboxes.add(offer.inbox_id)
            if queued.team_id is not None:
                work.drain_teams.add(queued.team_id)
        await work.publish(
            events.offer_withdrawn(offer, reason="expired", audience=offer.agent_ids)
        )
    return True


async def expire_offer_job(ctx: dict[str, Any], account_id: str, offer_id: str) -> bool:
    """The job at an offer's deadline (arq): withdraw it if nobody accepted in time, and the
    conversation is offered again."""
    return await expire_offer(
        job_runtime(ctx), account_id=UUID(account_id), offer_id=UUID(offer_id)
    )
