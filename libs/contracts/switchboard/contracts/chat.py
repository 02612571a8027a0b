"""The events chat publishes: inboxes, visitors, conversations and messages."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from switchboard.contracts.event import Event
from switchboard.contracts.values import (
    AssignmentReason,
    ConversationStatus,
    SenderType,
    Timestamp,
)

__all__ = [
    "CannedResponse",
    "CannedResponseCreated",
    "CannedResponseDeleted",
    "CannedResponseUpdated",
    "Conversation",
    "ConversationAssigned",
    "ConversationCreated",
    "ConversationStatusChanged",
    "InboxCreated",
    "Message",
    "MessageCreated",
    "VisitorCreated",
    "VisitorSessionRevoked",
]


class Conversation(BaseModel):
    """A conversation as chat's REST API shows it."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    inbox_id: UUID
    visitor_id: UUID
    status: ConversationStatus
    snoozed_until: Timestamp | None
    assignee_id: UUID | None
    created_at: Timestamp
    updated_at: Timestamp
    last_message_at: Timestamp | None


class Message(BaseModel):
    """A message as chat's REST API shows it."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    conversation_id: UUID
    sender_type: SenderType
    sender_id: UUID | None
    content: str
    private: bool
    client_message_id: str | None
    created_at: Timestamp


class ChatEvent(Event):
    source: ClassVar[str] = "chat"


class InboxCreated(ChatEvent):
    """An inbox was created (routing projects it)."""

    type: ClassVar[str] = "inbox.created"
    ordered_by: ClassVar[str] = "inbox id"

    inbox_id: UUID
    name: str


class VisitorCreated(ChatEvent):
    """A visitor registered through an inbox's widget (tickets makes a contact of him)."""

    type: ClassVar[str] = "visitor.created"
    ordered_by: ClassVar[str] = "visitor id"

    visitor_id: UUID
    inbox_id: UUID
    name: str | None
    email: str | None
    phone: str | None


class ConversationCreated(ChatEvent):
    """A visitor opened a conversation (routing queues it)."""

    type: ClassVar[str] = "conversation.created"
    ordered_by: ClassVar[str] = "conversation id"
    heard_by: ClassVar[str] = "the inbox, the visitor, role:supervisor"

    conversation: Conversation


class ConversationAssigned(ChatEvent):
    """The conversation's assignee changed, as routing decided (``assignee_id`` null: back to
    the queue); ``reason`` is routing's."""

    type: ClassVar[str] = "conversation.assigned"
    ordered_by: ClassVar[str] = "conversation id"
    heard_by: ClassVar[str] = (
        "the new and previous assignee, participants and monitors, the inbox, the visitor,"
        " role:supervisor"
    )

    conversation_id: UUID
    inbox_id: UUID
    assignee_id: UUID | None
    previous_assignee_id: UUID | None
    reason: AssignmentReason | None
    conversation: Conversation


class ConversationStatusChanged(ChatEvent):
    """The conversation was resolved, snoozed, parked as pending or reopened."""

    type: ClassVar[str] = "conversation.status_changed"
    ordered_by: ClassVar[str] = "conversation id"
    heard_by: ClassVar[str] = (
        "the assignee, participants and monitors, the inbox, the visitor, role:supervisor"
    )

    conversation_id: UUID
    inbox_id: UUID
    status: ConversationStatus
    previous_status: ConversationStatus
    snoozed_until: Timestamp | None
    assignee_id: UUID | None


class MessageCreated(ChatEvent):
    """A message, private note or system line was written. Version 2: ``message`` is the one
    source of its content, sender and privacy (version 1 repeated them at the top)."""

    type: ClassVar[str] = "message.created"
    version: ClassVar[int] = 2
    ordered_by: ClassVar[str] = "conversation id"
    heard_by: ClassVar[str] = (
        "the assignee, participants and monitors, the inbox, and the visitor unless private"
        " (not role:supervisor: a supervisor hears a conversation as an inbox member or by"
        " monitoring it)"
    )

    conversation_id: UUID
    inbox_id: UUID
    message: Message


class VisitorSessionRevoked(ChatEvent):
    """The visitor's tokens stopped working (a supervisor revoked them): the gateway closes
    his sockets after pushing this."""

    type: ClassVar[str] = "session.revoked"
    ordered_by: ClassVar[str] = "visitor id"
    heard_by: ClassVar[str] = "the visitor"

    visitor_id: UUID
    reason: str
    session_version: int
    family_id: str | None


class CannedResponse(BaseModel):
    """A quick reply as chat's REST API shows it (its content with the placeholders)."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    shortcut: str
    title: str
    content: str
    visibility: Literal["account", "team", "personal"]
    team_ids: list[UUID]
    owner_id: UUID
    created_at: Timestamp
    updated_at: Timestamp


_WHO_SEES_A_REPLY = (
    "who sees the reply: role:agent (account-wide), the teams' members and role:supervisor"
    " (team-wide), the author (personal); a change of visibility tells who saw it before too"
)


class CannedResponseCreated(ChatEvent):
    """A quick reply was saved."""

    type: ClassVar[str] = "canned_response.created"
    ordered_by: ClassVar[str] = "canned response id"
    heard_by: ClassVar[str] = _WHO_SEES_A_REPLY

    canned_response: CannedResponse


class CannedResponseUpdated(ChatEvent):
    """A quick reply's shortcut, title, content or visibility changed."""

    type: ClassVar[str] = "canned_response.updated"
    ordered_by: ClassVar[str] = "canned response id"
    heard_by: ClassVar[str] = _WHO_SEES_A_REPLY

    canned_response: CannedResponse


class CannedResponseDeleted(ChatEvent):
    """A quick reply was deleted."""

    type: ClassVar[str] = "canned_response.deleted"
    ordered_by: ClassVar[str] = "canned response id"
    heard_by: ClassVar[str] = _WHO_SEES_A_REPLY

    canned_response_id: UUID
