"""Use cases of a conversation's priority (chat's column, the one source routing follows):
an agent sets it here, or a supervisor on routing's queue (``queue.priority_set``)."""

from __future__ import annotations

from uuid import UUID

from switchboard.chat.domain import system_messages as wording
from switchboard.chat.errors import ConversationNotFound
from switchboard.chat.organising.domain.priority import ConversationPriority, priority_changes
from switchboard.chat.organising.service import events
from switchboard.chat.service.messages import append_system_message
from switchboard.chat.store import agents as agent_store
from switchboard.chat.store import conversations as conversation_store
from switchboard.chat.store import participants as participant_store
from switchboard.chat.store.conversations import ConversationView
from switchboard.contracts.routing import QueuePrioritySet
from switchboard.core.auth import Principal
from switchboard.core.events import Delivery, utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.work import UnitOfWork


async def set_priority(
    runtime: DatabaseRuntime,
    *,
    agent: Principal,
    conversation_id: UUID,
    priority: ConversationPriority,
    origin: str | None,
) -> ConversationView:
    """Set the conversation's priority: a history line and ``conversation.priority_changed``
    (routing reorders its queue); the same priority again changes nothing."""
    async with runtime.work() as work:
        view = await conversation_store.get_view(
            work.session, agent.account_id, conversation_id, for_update=True
        )
        if view is None:
            raise ConversationNotFound()
        await _change(work, view, priority, by=agent.id, origin=origin)
    return view


async def apply_queue_priority(runtime: DatabaseRuntime, event: Delivery[QueuePrioritySet]) -> None:
    """A supervisor set the priority on routing's queue: the conversation's, as if set here."""
    news = event.data
    async with runtime.work(handling=event) as work:
        view = await conversation_store.get_view(
            work.session, event.account_id, news.conversation_id, for_update=True
        )
        if view is not None:
            await _change(work, view, news.priority, by=news.by_agent_id, origin=event.origin)


async def _change(
    work: UnitOfWork,
    view: ConversationView,
    priority: ConversationPriority,
    *,
    by: UUID,
    origin: str | None,
) -> None:
    conversation = view.conversation
    previous = ConversationPriority(conversation.priority)
    if not priority_changes(previous, priority):
        return
    now = utcnow()
    session = work.session
    conversation.priority = priority.value
    conversation.updated_at = now
    await session.flush()
    names = await agent_store.names(session, conversation.account_id, [by])
    line = wording.priority_changed(by=wording.AgentRef(names.get(by)), priority=priority)
    await append_system_message(work, conversation, content=line, now=now)
    envelope = events.priority_changed(
        conversation,
        previous=previous,
        by=by,
        participants=await participant_store.agent_ids(session, conversation.id),
        origin=origin,
    )
    await work.publish(envelope)
