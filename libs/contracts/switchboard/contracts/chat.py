"""The events chat publishes: inboxes, visitors, conversations and messages."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from switchboard.contracts.event import Event
from switchboard.contracts.inputs import Timestamp
from switchboard.contracts.messages import MessageKind, MessagePayload
from switchboard.contracts.values import (
    AssignmentReason,
    AttachmentKind,
    ConversationPriority,
    ConversationStatus,
    NotificationKind,
    SenderType,
)

__all__ = [
    "Attachment",
    "CannedResponse",
    "CannedResponseCreated",
    "CannedResponseDeleted",
    "CannedResponseUpdated",
    "Conversation",
    "ConversationAssigned",
    "ConversationCreated",
    "ConversationLabelsChanged",
    "ConversationPriorityChanged",
    "ConversationStarChanged",
    "ConversationStatusChanged",
    "ConversationTeamChanged",
    "InboxCreated",
    "Label",
    "LabelCreated",
    "LabelDeleted",
    "LabelUpdated",
    "Message",
    "MessageCreated",
    "MessageDeleted",
    "Notification",
    "NotificationCreated",
    "NotificationDeleted",
    "NotificationRead",
    "ReadPositionMoved",
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
    waiting_since: Timestamp | None = None
    team_id: UUID | None = None


class Label(BaseModel):
    """A label as chat's REST API shows it on a conversation (its own read adds its times)."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: UUID
    name: str
    colour: str


class Attachment(BaseModel):
    """A file of a message, with download URLs signed when the event was published (they
    work for SB_ATTACHMENT_URL_TTL_SECONDS; a later reader gets fresh ones over REST)."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    kind: AttachmentKind
    content_type: str
    size: int
    file_name: str
    width: int | None
    height: int | None
    url: str
    thumbnail_url: str | None


class Message(BaseModel):
    """A message as chat's REST API shows it: ``payload`` is the model of its ``kind`` (null
    for a text, see switchboard.contracts.messages)."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    conversation_id: UUID
    sender_type: SenderType
    sender_id: UUID | None
    content: str
    private: bool
    client_message_id: str | None
    created_at: Timestamp
    attachments: list[Attachment] = []
    # Defaults: an event written before messages had kinds reads as the text it was.
    kind: MessageKind = "text"
    payload: MessagePayload | None = None
    deleted_at: Timestamp | None = None
    # The agents a private note mentions (the front end renders them from ``@name``).
    mentions: list[UUID] = []


class Notification(BaseModel):
    """A notification of an agent as chat's REST API shows it: what happened (``text``, words
    to show as they are), in which conversation, caused by whom."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: UUID
    kind: NotificationKind
    conversation_id: UUID
    actor_id: UUID | None = Field(description="Who caused it (null: routing, or the clock)")
    message_id: UUID | None = Field(description="The note that mentioned him (a mention)")
    text: str = Field(description="What happened, in words to show as they are")
    created_at: Timestamp
    read_at: Timestamp | None = Field(description="Null while unread")


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
    # Who asked for it: an agent, or null (a visitor's message, a snooze that ran out).
    changed_by_agent_id: UUID | None = None


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


class MessageDeleted(ChatEvent):
    """A message was deleted by its author or an admin: its content and payload are gone, a
    tombstone keeps its place in the history (``deleted_at`` set)."""

    type: ClassVar[str] = "message.deleted"
    ordered_by: ClassVar[str] = "conversation id"
    heard_by: ClassVar[str] = (
        "who heard its message.created: the assignee, participants and monitors, the inbox,"
        " and the visitor unless private"
    )

    conversation_id: UUID
    inbox_id: UUID
    message_id: UUID
    deleted_at: Timestamp


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


_ORGANISED_BY = (
    "the assignee, participants and monitors, the inbox, role:supervisor (never the visitor)"
)


class LabelCreated(ChatEvent):
    """A supervisor or admin created one of the account's labels."""

    type: ClassVar[str] = "label.created"
    ordered_by: ClassVar[str] = "label id"
    heard_by: ClassVar[str] = "role:agent (every agent of the account)"

    label: Label


class LabelUpdated(ChatEvent):
    """A label was renamed or given another colour."""

    type: ClassVar[str] = "label.updated"
    ordered_by: ClassVar[str] = "label id"
    heard_by: ClassVar[str] = "role:agent (every agent of the account)"

    label: Label


class LabelDeleted(ChatEvent):
    """A label was deleted: it leaves every conversation it was on (no event per
    conversation: a front end drops it by its id)."""

    type: ClassVar[str] = "label.deleted"
    ordered_by: ClassVar[str] = "label id"
    heard_by: ClassVar[str] = "role:agent (every agent of the account)"

    label_id: UUID


class ConversationLabelsChanged(ChatEvent):
    """Labels were added to or removed from the conversation; ``labels`` is its whole set now."""

    type: ClassVar[str] = "conversation.labels_changed"
    ordered_by: ClassVar[str] = "conversation id"
    heard_by: ClassVar[str] = _ORGANISED_BY

    conversation_id: UUID
    inbox_id: UUID
    labels: list[Label]
    added: list[UUID]
    removed: list[UUID]
    changed_by_agent_id: UUID


class ConversationPriorityChanged(ChatEvent):
    """An agent changed the conversation's priority (routing reorders its queue by it)."""

    type: ClassVar[str] = "conversation.priority_changed"
    ordered_by: ClassVar[str] = "conversation id"
    heard_by: ClassVar[str] = _ORGANISED_BY

    conversation_id: UUID
    inbox_id: UUID
    priority: ConversationPriority
    previous_priority: ConversationPriority
    changed_by_agent_id: UUID


class ConversationTeamChanged(ChatEvent):
    """The conversation was sent to a team (routing's ``assignment.team_changed``): by a
    supervisor, or with a transfer to the team."""

    type: ClassVar[str] = "conversation.team_changed"
    ordered_by: ClassVar[str] = "conversation id"
    heard_by: ClassVar[str] = _ORGANISED_BY

    conversation_id: UUID
    inbox_id: UUID
    team_id: UUID
    previous_team_id: UUID | None
    changed_by_agent_id: UUID | None


class ConversationStarChanged(ChatEvent):
    """The agent starred (or unstarred) the conversation for follow-up: his alone."""

    type: ClassVar[str] = "conversation.star_changed"
    ordered_by: ClassVar[str] = "conversation id"
    heard_by: ClassVar[str] = "the agent himself (his other devices)"

    conversation_id: UUID
    agent_id: UUID
    starred: bool


class ReadPositionMoved(ChatEvent):
    """A reader's position moved: the visitor "saw" the conversation up to a message, or an
    agent read it (his other devices clear their unread count)."""

    type: ClassVar[str] = "conversation.read"
    ordered_by: ClassVar[str] = "conversation id"
    heard_by: ClassVar[str] = (
        "a visitor's read: the visitor, the assignee, participants and monitors, the inbox;"
        " an agent's: the agent himself"
    )

    conversation_id: UUID
    inbox_id: UUID
    reader_type: Literal["agent", "visitor"]
    reader_id: UUID
    last_read_message_id: UUID
    read_at: Timestamp


class NotificationCreated(ChatEvent):
    """The agent has a new notification (a mention, a conversation assigned to him, a
    transfer asked of him, an invitation; the kinds he did not turn off); ``unread_count``:
    his unread notifications now."""

    type: ClassVar[str] = "notification.created"
    ordered_by: ClassVar[str] = "agent id"
    heard_by: ClassVar[str] = "the agent (every device of his)"

    agent_id: UUID
    notification: Notification
    unread_count: int


class NotificationRead(ChatEvent):
    """The agent read a notification (``notification_id``), or all of them (null), on one
    of his devices: the others mark it too."""

    type: ClassVar[str] = "notification.read"
    ordered_by: ClassVar[str] = "agent id"
    heard_by: ClassVar[str] = "the agent (every device of his)"

    agent_id: UUID
    notification_id: UUID | None
    read_at: Timestamp
    unread_count: int


class NotificationDeleted(ChatEvent):
    """A notification of the agent is gone with what it was about (the mention of a private
    note that was deleted): every device of his drops it from his list; ``unread_count``: his
    unread notifications now."""

    type: ClassVar[str] = "notification.deleted"
    ordered_by: ClassVar[str] = "agent id"
    heard_by: ClassVar[str] = "the agent (every device of his)"

    agent_id: UUID
    notification_id: UUID
    unread_count: int


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
    " (team-wide), the author (personal); a change of whom it is for names each agent:"
    " .deleted to those who no longer see it, .updated to those who still do, .created to"
    " those who newly do"
)


class CannedResponseCreated(ChatEvent):
    """A quick reply was saved."""

    type: ClassVar[str] = "canned_response.created"
    ordered_by: ClassVar[str] = "canned response id"
    heard_by: ClassVar[str] = _WHO_SEES_A_REPLY

    canned_response: CannedResponse


class CannedResponseUpdated(ChatEvent):
    """A quick reply's shortcut, title, content, visibility or files changed (read it for
    its files)."""

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
