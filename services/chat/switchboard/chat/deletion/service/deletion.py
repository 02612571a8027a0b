"""Delete a message: its author or an admin empties it, a tombstone keeps its place."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from switchboard.chat.attachments.service.sweep import remove_message_files
from switchboard.chat.deletion.domain.rules import MessageFacts, deletion_refusal
from switchboard.chat.deletion.store import messages as store
from switchboard.chat.errors import DELETION_REFUSALS, ConversationNotFound, MessageNotFound
from switchboard.chat.notifications.domain.kinds import NotificationKind
from switchboard.chat.notifications.service.notifications import withdraw
from switchboard.chat.service import events
from switchboard.chat.store import access as access_store
from switchboard.chat.store import conversations as conversation_store
from switchboard.chat.store import participants as participant_store
from switchboard.chat.store.models import Message
from switchboard.core.auth import Principal, Role
from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.settings import Settings
from switchboard.core.work import UnitOfWork

__all__ = ["delete_message", "erase"]


async def delete_message(
    runtime: DatabaseRuntime,
    *,
    agent: Principal,
    conversation_id: UUID,
    message_id: UUID,
    origin: str | None,
) -> None:
    """Delete the message as ``agent`` (whom the route already let read the conversation):
    its content and payload are gone from every read, ``message.deleted`` tells whoever
    heard it, and the conversation's activity stays where it was."""
    async with runtime.work() as work:
        session = work.session
        conversation = await conversation_store.lock(session, agent.account_id, conversation_id)
        if conversation is None:
            raise ConversationNotFound()
        message = await store.lock(session, agent.account_id, conversation_id, message_id)
        if message is None:
            raise MessageNotFound()
        facts = MessageFacts(message.sender_type, message.sender_id, message.deleted_at)
        refusal = deletion_refusal(facts, agent_id=agent.id, admin=agent.at_least(Role.admin))
        if refusal is not None:
            raise DELETION_REFUSALS[refusal]()
        await erase(work, message, at=utcnow(), settings=runtime.settings)
        participants = await participant_store.agent_ids(session, conversation.id)
        await work.publish(
            events.message_deleted(conversation, message, participants=participants, origin=origin)
        )


async def erase(work: UnitOfWork, message: Message, *, at: datetime, settings: Settings) -> None:
    """Everything of the message goes, in the deleting transaction: the one hook of a part of
    a message that must go with it (its content, payload and mentions, with the reading and
    the notifications the mentions gave; its files, whose objects go after the commit)."""
    mentioned = list(message.mentions)
    store.erase(message, at=at)
    await access_store.forget_mentions(work.session, message, mentioned)
    await withdraw(
        work, account_id=message.account_id, message_id=message.id, kind=NotificationKind.mention
    )
    await remove_message_files(work, message, settings)
