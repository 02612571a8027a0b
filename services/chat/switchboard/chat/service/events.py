"""The envelopes chat publishes, shaped exactly as docs/architecture.md's catalogue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from pydantic import TypeAdapter

from switchboard.chat.store.models import Conversation, Inbox, Message, Visitor
from switchboard.core.events import Audience, Envelope

SOURCE = "chat"
SUPERVISORS = Audience.role("supervisor")


def _id(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


_TIME = TypeAdapter(datetime)


def _at(value: datetime | None) -> str | None:
    """ISO 8601 in UTC, written exactly as the REST bodies write it."""
    if value is None:
        return None
    text: str = _TIME.dump_python(value.astimezone(UTC), mode="json")
    return text


def conversation_data(conversation: Conversation) -> dict[str, Any]:
    """The catalogue's ``Conversation``."""
    return {
        "id": str(conversation.id),
        "inbox_id": str(conversation.inbox_id),
        "visitor_id": str(conversation.visitor_id),
        "status": conversation.status,
        "snoozed_until": _at(conversation.snoozed_until),
        "assignee_id": _id(conversation.assignee_id),
        "created_at": _at(conversation.created_at),
        "updated_at": _at(conversation.updated_at),
        "last_message_at": _at(conversation.last_message_at),
    }


def message_data(message: Message) -> dict[str, Any]:
    """The catalogue's ``Message``."""
    return {
        "id": str(message.id),
        "conversation_id": str(message.conversation_id),
        "sender_type": message.sender_type,
        "sender_id": _id(message.sender_id),
        "content": message.content,
        "private": message.private,
        "client_message_id": message.client_message_id,
        "created_at": _at(message.created_at),
    }


def _envelope(
    type_: str,
    account_id: UUID,
    key: UUID,
    audience: list[str],
    data: dict[str, Any],
    origin: str | None,
) -> Envelope:
    unique = list(dict.fromkeys(audience))
    return Envelope(
        type=type_,
        account_id=str(account_id),
        source=SOURCE,
        key=str(key),
        audience=unique,
        data=data,
        origin=origin,
    )


def inbox_created(inbox: Inbox, *, origin: str | None) -> Envelope:
    data = {"inbox_id": str(inbox.id), "name": inbox.name}
    return _envelope("inbox.created", inbox.account_id, inbox.id, [], data, origin)


def visitor_created(visitor: Visitor, *, origin: str | None) -> Envelope:
    data = {
        "visitor_id": str(visitor.id),
        "inbox_id": str(visitor.inbox_id),
        "name": visitor.name,
        "email": visitor.email,
        "phone": visitor.phone,
    }
    return _envelope("visitor.created", visitor.account_id, visitor.id, [], data, origin)


def conversation_created(conversation: Conversation, *, origin: str | None) -> Envelope:
    audience = [
        Audience.inbox(conversation.inbox_id),
        Audience.visitor(conversation.visitor_id),
        SUPERVISORS,
    ]
    data = {"conversation": conversation_data(conversation)}
    return _envelope(
        "conversation.created", conversation.account_id, conversation.id, audience, data, origin
    )


def conversation_assigned(
    conversation: Conversation,
    *,
    previous_assignee_id: UUID | None,
    participants: Sequence[UUID],
    reason: str | None = None,
    also: Sequence[UUID] = (),
    origin: str | None,
) -> Envelope:
    """``also``: more agents to tell (routing's ``previous_agent_id``)."""
    agents = [conversation.assignee_id, previous_assignee_id, *also, *participants]
    audience = [Audience.agent(agent) for agent in agents if agent is not None]
    audience += [
        Audience.inbox(conversation.inbox_id),
        Audience.visitor(conversation.visitor_id),
        SUPERVISORS,
    ]
    data = {
        "conversation_id": str(conversation.id),
        "inbox_id": str(conversation.inbox_id),
        "assignee_id": _id(conversation.assignee_id),
        "previous_assignee_id": _id(previous_assignee_id),
        "reason": reason,
        "conversation": conversation_data(conversation),
    }
    return _envelope(
        "conversation.assigned", conversation.account_id, conversation.id, audience, data, origin
    )


def _agents(conversation: Conversation, participants: Sequence[UUID]) -> list[str]:
    """The assignee, then every participant and monitor of the conversation."""
    agents = [conversation.assignee_id, *participants]
    return [Audience.agent(agent) for agent in agents if agent is not None]


def status_changed(
    conversation: Conversation,
    *,
    previous_status: str,
    participants: Sequence[UUID],
    origin: str | None,
) -> Envelope:
    audience = [
        *_agents(conversation, participants),
        Audience.inbox(conversation.inbox_id),
        Audience.visitor(conversation.visitor_id),
        SUPERVISORS,
    ]
    data = {
        "conversation_id": str(conversation.id),
        "inbox_id": str(conversation.inbox_id),
        "status": conversation.status,
        "previous_status": previous_status,
        "snoozed_until": _at(conversation.snoozed_until),
        "assignee_id": _id(conversation.assignee_id),
    }
    return _envelope(
        "conversation.status_changed",
        conversation.account_id,
        conversation.id,
        audience,
        data,
        origin,
    )


def message_created(
    conversation: Conversation,
    message: Message,
    *,
    participants: Sequence[UUID],
    also: Sequence[UUID] = (),
    origin: str | None,
) -> Envelope:
    """A private note (and every system message) never names the visitor in its audience.

    Supervisors are not told every message of the account: they hear a conversation as
    members of its inbox, or by monitoring it. ``also``: more agents to tell (those a system
    message is about).
    """
    agents = [Audience.agent(agent) for agent in also]
    audience = [
        *_agents(conversation, participants),
        *agents,
        Audience.inbox(conversation.inbox_id),
    ]
    if not message.private:
        audience.append(Audience.visitor(conversation.visitor_id))
    data = {
        "conversation_id": str(conversation.id),
        "inbox_id": str(conversation.inbox_id),
        "message": message_data(message),
        "content": message.content,
        "sender_type": message.sender_type,
        "sender_id": _id(message.sender_id),
        "private": message.private,
    }
    return _envelope(
        "message.created", conversation.account_id, conversation.id, audience, data, origin
    )


def visitor_session_revoked(visitor: Visitor) -> Envelope:
    """The visitor's tokens stopped working: the gateway closes his sockets."""
    return Envelope(
        type="session.revoked",
        account_id=str(visitor.account_id),
        source=SOURCE,
        key=str(visitor.id),
        audience=[Audience.visitor(visitor.id)],
        data={
            "visitor_id": str(visitor.id),
            "reason": "revoked",
            "session_version": visitor.session_version,
            "family_id": None,
        },
    )
