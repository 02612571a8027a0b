"""The response timer: an assignee who does not answer in time loses the conversation."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.worker import job_runtime
from switchboard.routing.assignment.domain.eligibility import can_take
from switchboard.routing.assignment.domain.strategy import Strategy, ranked
from switchboard.routing.assignment.service.moves import (
    assign,
    back_to_queue,
    cancel_transfers,
    route_for,
    unassign,
)
from switchboard.routing.assignment.store import loads, queue
from switchboard.routing.assignment.store import timers as timer_store
from switchboard.routing.service.work import routing_work
from switchboard.routing.store import conversations
from switchboard.routing.store.conversations import ACTIVE_STATUSES


async def response_timeout(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    conversation_id: UUID,
    agent_id: UUID,
    now: datetime | None = None,
) -> bool:
    """When the agent's timer on the conversation ran out without a reply: the agent lapses
    (``assignment.removed``, reason timeout) and the conversation goes to the next agent who
    can take it and never lapsed on it, or back to the queue. True when it lapsed now."""
    now = now or utcnow()
    async with routing_work(runtime, account_id) as work:
        session = work.session
        conversation = await conversations.lock(session, account_id, conversation_id)
        timer = await timer_store.timer_of(session, conversation_id)
        if conversation is None or timer is None:
            return False
        await session.refresh(timer)
        if timer.agent_id != agent_id or timer.due_at > now:
            return False
        assignee = await conversations.assignee_of(session, conversation_id)
        if assignee != agent_id or conversation.status not in ACTIVE_STATUSES:
            await timer_store.stop_timer(session, conversation_id)
            return False
        await queue.record_lapse(
            session,
            account_id=account_id,
            conversation_id=conversation_id,
            agent_id=agent_id,
            at=now,
        )
        await cancel_transfers(work, conversation_id, reason="timeout")
        await unassign(work, conversation, agent_id, reason="timeout")
        route = await route_for(
            work,
            inbox_id=conversation.inbox_id,
            team_id=conversation.team_id,
            conversation_id=conversation_id,
        )
        if route.strategy is not Strategy.broadcast:
            for seen in ranked(route.strategy, route.pool):
                locked = await loads.lock_candidate(session, seen.id, skip_locked=True)
                if locked is None or not can_take(locked):
                    continue
                await assign(
                    work,
                    conversation_id=conversation_id,
                    inbox_id=conversation.inbox_id,
                    agent_id=seen.id,
                    reason="timeout",
                    previous_agent_id=agent_id,
                )
                return True
        # Nobody can take it now: it waits, ahead of those who came after it.
        await back_to_queue(work, conversation, at=conversation.created_at)
    return True


async def response_timeout_job(
    ctx: dict[str, Any], account_id: str, conversation_id: str, agent_id: str
) -> bool:
    """The job at a response timer's deadline (arq): reassign a conversation whose assignee
    did not reply in time."""
    return await response_timeout(
        job_runtime(ctx),
        account_id=UUID(account_id),
        conversation_id=UUID(conversation_id),
        agent_id=UUID(agent_id),
    )
