"""Participants and monitors of conversations, as routing reports them (``participant.*``).

A participant who joins or leaves is written as a system message; a monitor leaves no trace
but the audience of the conversation's later events.
"""

from __future__ import annotations

from typing import NamedTuple
from uuid import UUID

from switchboard.chat.domain import system_messages as wording
from switchboard.chat.domain.participants import (
    MembershipChange,
    ParticipantKind,
    plan_added,
    plan_removed,
)
from switchboard.chat.service.access import conversation_view
from switchboard.chat.service.messages import append_system_message
from switchboard.chat.store import agents as agent_store
from switchboard.chat.store import conversations as conversation_store
from switchboard.chat.store import participants as store
from switchboard.chat.store.conversations import ConversationView
from switchboard.chat.store.participants import ParticipantView
from switchboard.contracts.routing import ParticipantAdded, ParticipantRemoved
from switchboard.core.events import Delivery, utcnow
from switchboard.core.runtime import DatabaseRuntime


class ConversationDetail(NamedTuple):
    view: ConversationView
    participants: list[ParticipantView]


async def apply_participant_change(
    runtime: DatabaseRuntime, event: Delivery[ParticipantAdded | ParticipantRemoved]
) -> MembershipChange | None:
    """Record that routing added (or removed) the agent; None when nothing was recorded."""
    news = event.data
    account_id, conversation_id, agent_id = event.account_id, news.conversation_id, news.agent_id
    kind, added = ParticipantKind(news.kind), isinstance(news, ParticipantAdded)
    now = utcnow()
    async with runtime.work(handling=event) as work:
        session = work.session
        # The lock orders this change with every event built from the participants.
        conversation = await conversation_store.lock(session, account_id, conversation_id)
        if conversation is None:
            return None
        stored = await store.kind_of(session, conversation_id, agent_id)
        current = ParticipantKind(stored) if stored is not None else None
        change = plan_added(current, kind) if added else plan_removed(current, kind)
        if not change.changed:
            return change
        if change.kind is None:
            await store.remove(session, conversation_id, agent_id)
        else:
            await store.put(
                session,
                account_id=account_id,
                conversation_id=conversation_id,
                agent_id=agent_id,
                kind=change.kind.value,
                at=now,
            )
        if change.announce is not None:
            names = await agent_store.names(session, account_id, [agent_id])
            who = wording.AgentRef(names.get(agent_id))
            text = (
                wording.participant_joined(who)
                if change.announce == "joined"
                else wording.participant_left(who)
            )
            await append_system_message(work, conversation, content=text, about=[agent_id], now=now)
    return change


async def get_conversation_detail(
    runtime: DatabaseRuntime, *, account_id: UUID, conversation_id: UUID
) -> ConversationDetail:
    """A conversation of the account with its participants and monitors."""
    async with runtime.db.session() as session:
        view = await conversation_view(session, account_id, conversation_id)
        listed = await store.listed(session, account_id, conversation_id)
    return ConversationDetail(view=view, participants=listed)
