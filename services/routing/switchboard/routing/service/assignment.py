"""The unassigned queue and automatic assignment.

Draining is safe with any number of routing processes: each step is one transaction that
locks the oldest queued conversation and the chosen agent with ``FOR UPDATE SKIP LOCKED``.
A step that finds only rows somebody else holds waits a moment and tries again, so a
conversation is never left behind by two drains stepping around each other.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Collection
from datetime import datetime
from uuid import UUID

import structlog

from switchboard.core.events import utcnow
from switchboard.core.outbox import first_delivery
from switchboard.core.runtime import Runtime
from switchboard.routing.domain.eligibility import in_rotation_order, is_eligible
from switchboard.routing.service import events
from switchboard.routing.service.agents import outbox_of
from switchboard.routing.store import agents as agent_store
from switchboard.routing.store import queue

log = structlog.get_logger(__name__)

_MAX_BUSY_ROUNDS = 200
WATCHDOG_INTERVAL_SECONDS = 5.0


class _Step(enum.Enum):
    assigned = "assigned"
    nothing_queued = "nothing_queued"
    no_agent = "no_agent"
    busy = "busy"


async def _assign_next(
    runtime: Runtime, account_id: UUID, inbox_ids: Collection[UUID]
) -> tuple[_Step, UUID | None]:
    """Assign the oldest queued conversation of these inboxes, in one transaction."""
    async with runtime.unit_of_work() as session:
        queued = await queue.take_oldest(session, account_id, inbox_ids)
        if queued is None:
            if await queue.any_queued(session, account_id, inbox_ids):
                return _Step.busy, None
            return _Step.nothing_queued, None
        ordered = in_rotation_order(await queue.candidates(session, queued.inbox_id))
        if not ordered:
            return _Step.no_agent, queued.inbox_id
        for seen in ordered:
            locked = await queue.lock_candidate(session, seen.id)
            # Skip an agent another step holds, or one that got a conversation since we looked.
            if locked is None or not is_eligible(locked):
                continue
            if locked.last_assigned_at != seen.last_assigned_at:
                continue
            await queue.record_assignment(session, queued, agent_id=seen.id, at=utcnow())
            await outbox_of(runtime).add(
                session,
                events.assignment_created(
                    account_id=queued.account_id,
                    conversation_id=queued.conversation_id,
                    inbox_id=queued.inbox_id,
                    agent_id=seen.id,
                ),
            )
            return _Step.assigned, queued.inbox_id
        return _Step.busy, queued.inbox_id


async def drain(runtime: Runtime, *, account_id: UUID, inbox_ids: Collection[UUID]) -> int:
    """Assign queued conversations of these inboxes, oldest first; returns how many."""
    remaining = set(inbox_ids)
    assigned = 0
    busy_rounds = 0
    while remaining:
        step, inbox_id = await _assign_next(runtime, account_id, remaining)
        if step is _Step.assigned:
            assigned += 1
            busy_rounds = 0
        elif step is _Step.nothing_queued:
            break
        elif step is _Step.no_agent:
            assert inbox_id is not None
            remaining.discard(inbox_id)
        else:
            busy_rounds += 1
            if busy_rounds > _MAX_BUSY_ROUNDS:  # the watchdog picks up what is left
                log.warning("drain_gave_up", inbox_ids=[str(i) for i in remaining])
                break
            await asyncio.sleep(min(0.002 * busy_rounds, 0.05))
    return assigned


async def drain_for_agent(runtime: Runtime, *, account_id: UUID, agent_id: UUID) -> int:
    """When the agent is eligible, drain its inboxes (the globally oldest conversation first)."""
    async with runtime.database.session() as session:
        candidate = await queue.candidate(session, agent_id)
        inbox_ids = (await agent_store.inbox_ids_of(session, [agent_id]))[agent_id]
    if candidate is None or not is_eligible(candidate) or not inbox_ids:
        return 0
    return await drain(runtime, account_id=account_id, inbox_ids=inbox_ids)


async def queue_conversation(
    runtime: Runtime,
    *,
    event_id: str,
    account_id: UUID,
    conversation_id: UUID,
    inbox_id: UUID,
    queued_at: datetime,
) -> int:
    """Queue a new conversation (once per event), then drain its inbox."""
    assert runtime.processed is not None
    async with runtime.unit_of_work() as session:
        if await first_delivery(session, runtime.processed, event_id):
            await queue.enqueue(
                session,
                conversation_id=conversation_id,
                account_id=account_id,
                inbox_id=inbox_id,
                at=queued_at,
            )
    # Drained even on a redelivery: a crash may have come between the commit and the drain.
    return await drain(runtime, account_id=account_id, inbox_ids=[inbox_id])


async def record_presence(
    runtime: Runtime,
    *,
    event_id: str,
    account_id: UUID,
    agent_id: UUID,
    online: bool,
    at: datetime,
) -> int:
    """Project the gateway's presence onto the agent; drain its inboxes if now eligible."""
    assert runtime.processed is not None
    async with runtime.unit_of_work() as session:
        if await first_delivery(session, runtime.processed, event_id):
            await agent_store.set_presence(session, account_id, agent_id, connected=online, at=at)
    if not online:
        return 0
    return await drain_for_agent(runtime, account_id=account_id, agent_id=agent_id)


async def drain_every_queue(runtime: Runtime) -> int:
    """Drain every inbox with a waiting conversation: the safety net behind the triggers."""
    async with runtime.database.session() as session:
        waiting = await queue.inboxes_with_queue(session)
    assigned = 0
    for account_id, inbox_id in waiting:
        assigned += await drain(runtime, account_id=account_id, inbox_ids=[inbox_id])
    return assigned


async def run_queue_watchdog(runtime: Runtime) -> None:
    """Every few seconds, assign what the event-driven drains left (a crash, a give-up)."""
    while True:
        await asyncio.sleep(WATCHDOG_INTERVAL_SECONDS)
        try:
            await drain_every_queue(runtime)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("queue_watchdog_failed", error=repr(exc))


async def take_off_queue(
    runtime: Runtime,
    *,
    event_id: str,
    account_id: UUID,
    conversation_id: UUID,
    inbox_id: UUID,
    assignee_id: UUID | None,
) -> None:
    """Chat assigned or closed the conversation itself: it no longer waits for an agent."""
    assert runtime.processed is not None
    async with runtime.unit_of_work() as session:
        if not await first_delivery(session, runtime.processed, event_id):
            return
        if assignee_id is None:
            await queue.dequeue(session, account_id, conversation_id)
        else:
            await queue.record_manual_assignment(
                session,
                conversation_id=conversation_id,
                account_id=account_id,
                inbox_id=inbox_id,
                agent_id=assignee_id,
                at=utcnow(),
            )
