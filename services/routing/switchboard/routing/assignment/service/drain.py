"""The unassigned queue and automatic assignment.

Draining is safe with any number of routing processes: each step is one transaction that
locks the first waiting conversation and the chosen agent with ``FOR UPDATE SKIP LOCKED``,
then counts the agent's load afresh, so nobody goes above capacity. A step that finds only
rows somebody else holds waits a moment and tries again, so a conversation is never left
behind by two drains stepping around each other. A new conversation's first step runs in the
transaction that queues it (``route_first``), and a step that assigns the last waiting
conversation ends the drain: one transaction per assignment, none that finds nothing.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Collection
from datetime import timedelta
from uuid import UUID

import structlog
from uuid6 import uuid7

from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.domain.eligibility import can_take
from switchboard.routing.assignment.domain.offers import OfferStatus
from switchboard.routing.assignment.domain.strategy import Strategy, ranked
from switchboard.routing.assignment.service.moves import account_settings, assign, route_for
from switchboard.routing.assignment.service.offers import expire_offer_job
from switchboard.routing.assignment.service.positions import refresh_positions
from switchboard.routing.assignment.store import loads, queue
from switchboard.routing.directory.store import teams as team_store
from switchboard.routing.service import events
from switchboard.routing.service.work import Work, routing_work
from switchboard.routing.store.models import Offer, QueuedConversation

log = structlog.get_logger(__name__)

_MAX_BUSY_ROUNDS = 200
WATCHDOG_INTERVAL_SECONDS = 5.0


class _Step(enum.Enum):
    assigned = "assigned"
    emptied = "emptied"  # assigned, and nobody else waits in scope
    nothing_queued = "nothing_queued"
    no_agent = "no_agent"
    busy = "busy"


QueueKey = tuple[str, UUID]


def _key(queued: QueuedConversation) -> QueueKey:
    return ("team", queued.team_id) if queued.team_id else ("inbox", queued.inbox_id)


async def _offer(work: Work, queued: QueuedConversation, agent_ids: list[UUID]) -> None:
    """Offer the conversation to every agent at once (broadcast): the first accept wins."""
    now = utcnow()
    account = await account_settings(work)
    offer = Offer(
        id=uuid7(),
        account_id=work.account_id,
        conversation_id=queued.conversation_id,
        inbox_id=queued.inbox_id,
        agent_ids=agent_ids,
        status=OfferStatus.open.value,
        created_at=now,
        expires_at=now + timedelta(seconds=account.offer_timeout_seconds),
    )
    work.session.add(offer)
    await work.session.flush()
    queued.offer_id = offer.id
    await work.publish(events.offer_created(offer))
    work.later(
        expire_offer_job,
        str(work.account_id),
        str(offer.id),
        at=offer.expires_at,
        job_id=f"offer:{offer.id}",
    )


async def route_first(
    work: Work, inbox_ids: Collection[UUID], team_ids: Collection[UUID]
) -> tuple[_Step, QueueKey | None, UUID | None]:
    """Route the first waiting conversation in scope inside the caller's transaction.

    After an assignment it looks whether anybody else still waits in scope (``emptied``
    when nobody does), so a drain ends without a transaction of its own that finds nothing.
    """
    session, account_id = work.session, work.account_id
    queued = await queue.take_oldest(session, account_id, inbox_ids, team_ids)
    if queued is None:
        if await queue.any_queued(session, account_id, inbox_ids, team_ids):
            return _Step.busy, None, None
        return _Step.nothing_queued, None, None
    key, inbox_id = _key(queued), queued.inbox_id
    route = await route_for(
        work,
        inbox_id=queued.inbox_id,
        team_id=queued.team_id,
        conversation_id=queued.conversation_id,
    )
    ordered = ranked(route.strategy, route.pool)
    if not ordered:
        return _Step.no_agent, key, inbox_id
    if route.strategy is Strategy.broadcast:
        await _offer(work, queued, [c.id for c in ordered])
        return _Step.assigned, key, inbox_id
    for seen in ordered:
        locked = await loads.lock_candidate(session, seen.id)
        # Skip an agent another step holds, or one that filled up since we looked (under
        # contention the next in order is as good: the rotation is a preference, capacity
        # is the rule).
        if locked is None or not can_take(locked):
            continue
        await assign(
            work,
            conversation_id=queued.conversation_id,
            inbox_id=queued.inbox_id,
            agent_id=seen.id,
            reason="auto",
            queued=queued,
        )
        if await queue.any_queued(session, account_id, inbox_ids, team_ids):
            return _Step.assigned, key, inbox_id
        return _Step.emptied, key, inbox_id
    return _Step.busy, key, inbox_id


async def _assign_next(
    runtime: DatabaseRuntime,
    account_id: UUID,
    inbox_ids: Collection[UUID],
    team_ids: Collection[UUID],
) -> tuple[_Step, QueueKey | None, UUID | None]:
    """Route the first waiting conversation in scope, in one transaction."""
    async with routing_work(runtime, account_id, settle=False) as work:
        return await route_first(work, inbox_ids, team_ids)


async def drain(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    inbox_ids: Collection[UUID] = (),
    team_ids: Collection[UUID] = (),
    refresh: Collection[UUID] = (),
    first: tuple[_Step, QueueKey | None, UUID | None] | None = None,
) -> int:
    """Route waiting conversations of these inboxes and teams, first in line first; then tell
    the visitors of every changed queue (and of ``refresh``) their new positions.

    ``first``: the outcome of a first step the caller already took in its own transaction.
    """
    inboxes, teams = set(inbox_ids), set(team_ids)
    touched = set(refresh)
    assigned = 0
    busy_rounds = 0
    while inboxes or teams:
        if first is not None:
            (step, key, inbox_id), first = first, None
        else:
            step, key, inbox_id = await _assign_next(runtime, account_id, inboxes, teams)
        if inbox_id is not None and step in (_Step.assigned, _Step.emptied):
            touched.add(inbox_id)
        if step in (_Step.assigned, _Step.emptied):
            assigned += 1
            busy_rounds = 0
            if step is _Step.emptied:
                break
        elif step is _Step.nothing_queued:
            break
        elif step is _Step.no_agent:
            assert key is not None
            (teams if key[0] == "team" else inboxes).discard(key[1])
        else:
            busy_rounds += 1
            if busy_rounds > _MAX_BUSY_ROUNDS:  # the watchdog picks up what is left
                log.warning("drain_gave_up", inbox_ids=[str(i) for i in inboxes])
                break
            await asyncio.sleep(min(0.002 * busy_rounds, 0.05))
    if touched:
        await refresh_positions(runtime, account_id=account_id, inbox_ids=touched)
    return assigned


async def drain_for_agent(runtime: DatabaseRuntime, *, account_id: UUID, agent_id: UUID) -> int:
    """When the agent can take a conversation, drain the queues it serves (its inboxes, its
    teams and the teams falling back to them), the first in line first."""
    async with runtime.db.session() as session:
        candidate = await loads.candidate(session, agent_id)
        if candidate is None or not can_take(candidate):
            return 0
        teams = await team_store.served_teams(session, agent_id)
        inboxes = await team_store.served_inboxes(session, agent_id, teams)
    if not inboxes and not teams:
        return 0
    return await drain(runtime, account_id=account_id, inbox_ids=inboxes, team_ids=teams)


async def drain_every_queue(runtime: DatabaseRuntime, *, account_id: UUID | None = None) -> int:
    """Drain every queue with a waiting conversation: the safety net behind the triggers."""
    async with runtime.db.session() as session:
        waiting = await queue.queues_with_waiting(session)
    assigned = 0
    for queue_account, inbox_id, team_id in waiting:
        if account_id is not None and queue_account != account_id:
            continue
        assigned += await drain(
            runtime,
            account_id=queue_account,
            inbox_ids=[] if team_id else [inbox_id],
            team_ids=[team_id] if team_id else [],
        )
    return assigned


async def run_queue_watchdog(runtime: DatabaseRuntime) -> None:
    """Every few seconds: expire what is overdue (lost jobs) and assign what the event-driven
    drains left (a crash, a give-up)."""
    from switchboard.routing.assignment.service.expiry import expire_overdue

    while True:
        await asyncio.sleep(WATCHDOG_INTERVAL_SECONDS)
        try:
            await expire_overdue(runtime)
            await drain_every_queue(runtime)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("queue_watchdog_failed", error=repr(exc))
