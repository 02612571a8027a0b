"""A deactivated agent lets go of his conversations at once."""

from __future__ import annotations

from uuid import UUID

from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.service.moves import back_to_queue, cancel_transfers, unassign
from switchboard.routing.service.work import routing_work
from switchboard.routing.store import conversations
from switchboard.routing.store.conversations import ACTIVE_STATUSES

# What he lets go of: what still needs an agent (a snoozed one wakes up to the queue). A
# resolved conversation keeps its assignee, as its history says who handled it.
_HELD = (*ACTIVE_STATUSES, "snoozed")


async def release_conversations_of(
    runtime: DatabaseRuntime, *, account_id: UUID, agent_id: UUID
) -> list[UUID]:
    """Take the agent's open, pending and snoozed conversations from him
    (``assignment.removed``, reason ``deactivated``; their pending transfers are cancelled with
    that reason): the open and pending ones go back to their queue ahead of those who came
    after them, and drain to the others at once. The ids of those he let go of."""
    async with routing_work(runtime, account_id) as work:
        session = work.session
        held = await conversations.active_assigned_to(session, account_id, agent_id, statuses=_HELD)
        released: list[UUID] = []
        for conversation_id in sorted(conversation.id for conversation in held):
            conversation = await conversations.lock(session, account_id, conversation_id)
            if conversation is None:
                continue
            await session.refresh(conversation)
            assignee = await conversations.assignee_of(session, conversation_id)
            if assignee != agent_id or conversation.status not in _HELD:
                continue  # it changed hands or closed since the list was read
            await cancel_transfers(work, conversation_id, reason="deactivated")
            await unassign(work, conversation, agent_id, reason="deactivated")
            released.append(conversation_id)
            if conversation.status not in ACTIVE_STATUSES:
                continue
            await back_to_queue(work, conversation, at=conversation.created_at)
    return released
