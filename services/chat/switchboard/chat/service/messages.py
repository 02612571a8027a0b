"""Use cases of messages: send (idempotent by client_message_id) and read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.domain.content import InvalidContent, clean_content
from switchboard.chat.domain.status import ConversationStatus, status_after_visitor_message
from switchboard.chat.service import events
from switchboard.chat.store import conversations as conversation_store
from switchboard.chat.store import messages as store
from switchboard.chat.store import participants as participant_store
from switchboard.chat.store.models import Conversation, Message, new_id
from switchboard.core.errors import NotFound, Unprocessable
from switchboard.core.events import utcnow
from switchboard.core.runtime import Runtime


@dataclass(frozen=True)
class Sender:
    type: Literal["visitor", "agent", "system"]
    id: UUID | None


@dataclass(frozen=True)
class SentMessage:
    message: Message
    created: bool  # False: the same client_message_id was stored before; nothing new happened


def checked_content(runtime: Runtime, raw: str) -> str:
    """The content to store; 422 ``validation_error`` when it breaks a rule."""
    try:
        return clean_content(raw, max_length=runtime.settings.max_message_length)
    except InvalidContent as exc:
        details = [{"loc": ["body", "content"], "msg": str(exc), "type": "value_error"}]
        raise Unprocessable(f"content: {exc}", code="validation_error", details=details) from exc


async def append_message(
    runtime: Runtime,
    session: AsyncSession,
    conversation: Conversation,
    *,
    sender: Sender,
    content: str,
    private: bool,
    client_message_id: str | None,
    origin: str | None,
    now: datetime,
) -> SentMessage:
    """Store a message in a conversation locked by the caller and queue its events."""
    assert runtime.outbox is not None
    message = await store.insert_unless_sent(
        session,
        {
            "id": new_id(),
            "account_id": conversation.account_id,
            "conversation_id": conversation.id,
            "sender_type": sender.type,
            "sender_id": sender.id,
            "content": content,
            "private": private,
            "client_message_id": client_message_id,
            "created_at": now,
        },
    )
    if message is None:
        assert sender.id is not None and client_message_id is not None
        stored = await store.by_client_message_id(
            session, conversation.id, sender.id, client_message_id
        )
        assert stored is not None, "the conflicting message is committed before we read it"
        return SentMessage(message=stored, created=False)
    previous_status = conversation.status
    reopened = None
    if sender.type == "visitor":
        reopened = status_after_visitor_message(ConversationStatus(previous_status))
    await conversation_store.record_message(
        session, conversation, at=now, status=reopened.value if reopened is not None else None
    )
    participants = await participant_store.agent_ids(session, conversation.id)
    if reopened is not None:
        envelope = events.status_changed(
            conversation,
            previous_status=previous_status,
            participants=participants,
            origin=origin,
        )
        await runtime.outbox.add(session, envelope)
    envelope = events.message_created(
        conversation, message, participants=participants, origin=origin
    )
    await runtime.outbox.add(session, envelope)
    return SentMessage(message=message, created=True)


async def append_system_message(
    runtime: Runtime,
    session: AsyncSession,
    conversation: Conversation,
    *,
    content: str,
    about: Sequence[UUID] = (),
    now: datetime,
) -> Message:
    """Write a line of history to a conversation locked by the caller.

    A system message is private (the visitor never sees it, on REST or a socket) and leaves
    the conversation's activity times alone: it records what happened, it is not a reply.
    ``about``: agents the line concerns, told even when they are not (or no longer) in it.
    """
    assert runtime.outbox is not None
    message = Message(
        id=new_id(),
        account_id=conversation.account_id,
        conversation_id=conversation.id,
        sender_type="system",
        sender_id=None,
        content=content,
        private=True,
        client_message_id=None,
        created_at=now,
    )
    session.add(message)
    await session.flush()
    participants = await participant_store.agent_ids(session, conversation.id)
    envelope = events.message_created(
        conversation, message, participants=participants, also=about, origin=None
    )
    await runtime.outbox.add(session, envelope)
    return message


async def send_message(
    runtime: Runtime,
    *,
    account_id: UUID,
    conversation_id: UUID,
    sender: Sender,
    content: str,
    private: bool = False,
    client_message_id: str | None = None,
    visitor_id: UUID | None = None,
    origin: str | None = None,
) -> SentMessage:
    """Send a message (a private note when ``private``) to a conversation of the account.

    ``visitor_id`` restricts to that visitor's conversations. A visitor's message reopens a
    resolved or snoozed conversation.
    """
    content = checked_content(runtime, content)
    async with runtime.unit_of_work() as session:
        conversation = await conversation_store.lock(
            session, account_id, conversation_id, visitor_id=visitor_id
        )
        if conversation is None:
            raise NotFound("no such conversation", code="conversation_not_found")
        return await append_message(
            runtime,
            session,
            conversation,
            sender=sender,
            content=content,
            private=private,
            client_message_id=client_message_id,
            origin=origin,
            now=utcnow(),
        )


async def list_messages(
    runtime: Runtime,
    *,
    account_id: UUID,
    conversation_id: UUID,
    include_private: bool,
    visitor_id: UUID | None = None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Message], str | None]:
    """A page of the conversation's messages, newest first."""
    async with runtime.database.session() as session:
        view = await conversation_store.get_view(
            session, account_id, conversation_id, visitor_id=visitor_id
        )
        if view is None:
            raise NotFound("no such conversation", code="conversation_not_found")
        return await store.page(
            session,
            conversation_id,
            include_private=include_private,
            cursor=cursor,
            limit=limit,
        )
