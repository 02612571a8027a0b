"""What routing does with the events it consumes: chat's conversations and messages, the
gateway's presence."""

from __future__ import annotations

import contextlib

from switchboard.contracts.chat import (
    ConversationAssigned,
    ConversationCreated,
    ConversationStatusChanged,
    MessageCreated,
)
from switchboard.contracts.gateway import PresenceChanged
from switchboard.core.events import Delivery, utcnow
from switchboard.core.outbox import Repeated
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.service.drain import drain, drain_for_agent, route_first
from switchboard.routing.assignment.service.manual import take_on_open
from switchboard.routing.assignment.service.moves import (
    back_to_queue,
    cancel_transfers,
    withdraw_offer,
)
from switchboard.routing.assignment.service.positions import refresh_positions
from switchboard.routing.assignment.store import queue
from switchboard.routing.assignment.store import timers as timer_store
from switchboard.routing.directory.store import agents as agent_store
from switchboard.routing.service.work import routing_work
from switchboard.routing.store import conversations
from switchboard.routing.store.conversations import ACTIVE_STATUSES


async def queue_conversation(runtime: DatabaseRuntime, event: Delivery[ConversationCreated]) -> int:
    """Project a new conversation and queue it, then drain its inbox; one that has an assignee
    already changes nothing.

    The drain's first step shares the transaction that queues the conversation: with an agent
    free, the conversation is queued and assigned in one commit.
    """
    conversation, account_id = event.data.conversation, event.account_id
    if conversation.assignee_id is not None:
        return 0
    inbox_id = conversation.inbox_id
    first = None
    # A repeat drains all the same: a crash may have come between the commit and the drain.
    with contextlib.suppress(Repeated):
        async with routing_work(runtime, account_id, settle=False, handling=event) as work:
            await conversations.record(
                work.session,
                conversation_id=conversation.id,
                account_id=account_id,
                inbox_id=inbox_id,
                visitor_id=conversation.visitor_id,
                status=conversation.status,
                at=event.occurred_at,
            )
            if conversation.status in ACTIVE_STATUSES:
                await queue.enqueue(
                    work.session,
                    conversation_id=conversation.id,
                    account_id=account_id,
                    inbox_id=inbox_id,
                    at=event.occurred_at,
                )
            first = await route_first(work, [inbox_id], ())
    return await drain(
        runtime, account_id=account_id, inbox_ids=[inbox_id], refresh=[inbox_id], first=first
    )


async def change_status(
    runtime: DatabaseRuntime, event: Delivery[ConversationStatusChanged]
) -> None:
    """Resolved or snoozed: off the queue, offers and transfers end, the assignee's slot frees.
    Reopened: it counts for its assignee again, or waits in the queue when it has none; set
    open by an agent while nobody has it: his (``take_on_open``)."""
    change, account_id, at = event.data, event.account_id, event.occurred_at
    conversation_id, inbox_id, status = change.conversation_id, change.inbox_id, change.status
    async with routing_work(runtime, account_id, handling=event) as work:
        session = work.session
        conversation = await conversations.lock(session, account_id, conversation_id)
        if conversation is None:
            await conversations.record(
                session,
                conversation_id=conversation_id,
                account_id=account_id,
                inbox_id=inbox_id,
                visitor_id=None,
                status="open",
                at=at,
            )
            conversation = await conversations.lock(session, account_id, conversation_id)
            assert conversation is not None
        was_active = conversation.status in ACTIVE_STATUSES
        conversation.status = status
        conversation.updated_at = utcnow()
        assignee = await conversations.assignee_of(session, conversation_id)
        if status not in ACTIVE_STATUSES:
            if await queue.get(session, account_id, conversation_id) is not None:
                await withdraw_offer(work, conversation_id, reason="expired")
                await queue.dequeue(session, account_id, conversation_id)
                work.touched_inboxes.add(inbox_id)
            await cancel_transfers(work, conversation_id, reason="conversation_closed")
            await timer_store.stop_timer(session, conversation_id)
            if assignee is not None and was_active:
                work.freed_agents.add(assignee)
        elif not was_active and assignee is None:
            await back_to_queue(work, conversation, at=at)
        if status == "open" and assignee is None and change.changed_by_agent_id is not None:
            await take_on_open(work, conversation, change.changed_by_agent_id)


async def record_assigned_elsewhere(
    runtime: DatabaseRuntime, event: Delivery[ConversationAssigned]
) -> None:
    """Chat's ``conversation.assigned``: routing's own assignments echo back and change
    nothing; a conversation routing never saw (older than its projection) is recorded.

    The echo of every assignment comes here: one read, outside a transaction, settles it.
    """
    account_id, assignee_id = event.account_id, event.data.assignee_id
    conversation_id, inbox_id = event.data.conversation_id, event.data.inbox_id
    if assignee_id is None:
        return
    async with runtime.db.autocommit() as autocommit:
        if await conversations.exists(autocommit, account_id, conversation_id):
            return
    async with runtime.work(handling=event) as work:
        session = work.session
        if await conversations.get(session, account_id, conversation_id) is not None:
            return
        await queue.dequeue(session, account_id, conversation_id)
        await queue.upsert_assignment(
            session,
            conversation_id=conversation_id,
            account_id=account_id,
            inbox_id=inbox_id,
            agent_id=assignee_id,
            at=utcnow(),
            waited_seconds=None,
        )
    await refresh_positions(runtime, account_id=account_id, inbox_ids=[inbox_id])


async def record_reply(runtime: DatabaseRuntime, event: Delivery[MessageCreated]) -> bool:
    """The assignee answered: its response timer stops (any other message changes nothing).

    Every agent reply comes here and almost none has a timer to stop: one DELETE in
    autocommit (atomic on its own, and it publishes nothing) spares a BEGIN and a COMMIT.
    """
    message = event.data.message
    if message.sender_type != "agent" or message.private or message.sender_id is None:
        return False
    async with runtime.db.autocommit() as autocommit:
        return await timer_store.stop_timer(autocommit, message.conversation_id, message.sender_id)


async def record_presence(runtime: DatabaseRuntime, event: Delivery[PresenceChanged]) -> int:
    """Project the gateway's presence onto the agent; drain its queues if now eligible."""
    presence, account_id = event.data, event.account_id
    # A repeat drains all the same: a crash may have come between the commit and the drain.
    with contextlib.suppress(Repeated):
        async with runtime.work(handling=event) as work:
            session = work.session
            await agent_store.set_presence(
                session,
                account_id,
                presence.agent_id,
                connected=presence.online,
                at=event.occurred_at,
            )
    if not presence.online:
        return 0
    return await drain_for_agent(runtime, account_id=account_id, agent_id=presence.agent_id)
