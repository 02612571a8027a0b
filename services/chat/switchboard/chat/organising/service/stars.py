"""Use case of stars: an agent marks a conversation to follow it up, for himself alone."""

from __future__ import annotations

from uuid import UUID

from switchboard.chat.errors import ConversationNotFound
from switchboard.chat.organising.service import events
from switchboard.chat.organising.store import stars as store
from switchboard.chat.store import conversations as conversation_store
from switchboard.core.auth import Principal
from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime


async def set_star(
    runtime: DatabaseRuntime,
    *,
    agent: Principal,
    conversation_id: UUID,
    starred: bool,
    origin: str | None,
) -> None:
    """Star (or unstar) it for the agent; ``conversation.star_changed`` reaches only his own
    devices, and only when it changed."""
    async with runtime.work() as work:
        session = work.session
        view = await conversation_store.get_view(session, agent.account_id, conversation_id)
        if view is None:
            raise ConversationNotFound()
        if starred:
            changed = await store.put(
                session,
                account_id=agent.account_id,
                conversation_id=conversation_id,
                agent_id=agent.id,
                at=utcnow(),
            )
        else:
            changed = await store.remove(session, agent.account_id, conversation_id, agent.id)
        if changed:
            await work.publish(
                events.star_changed(
                    view.conversation, agent_id=agent.id, starred=starred, origin=origin
                )
            )
