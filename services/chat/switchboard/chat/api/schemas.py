"""Request and response bodies of chat's REST API."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal
from uuid import UUID

import orjson
from fastapi import Response, status
from pydantic import BaseModel, ConfigDict, Field, model_validator

from switchboard.chat.domain.participants import ParticipantKind
from switchboard.chat.domain.status import ConversationStatus
from switchboard.chat.service.participants import ConversationDetail
from switchboard.core.pagination import Rows
from switchboard.core.text import SPACE_OR_NUL, TextRules
from switchboard.core.values import Timestamp

if TYPE_CHECKING:  # the rows the use cases return
    from switchboard.chat.service.messages import SentMessage
    from switchboard.chat.store.conversations import ConversationView
    from switchboard.chat.store.finding import ListedConversation, SidebarCounts
    from switchboard.chat.store.participants import ParticipantView

Name = Annotated[str, TextRules(max_length=200, blank=False, trim=True)]
_EMAIL_PART = f"[^@{SPACE_OR_NUL}]+"
Email = Annotated[
    str, TextRules(max_length=320, pattern=f"^{_EMAIL_PART}@{_EMAIL_PART}$", trim=True)
]
Phone = Annotated[str, TextRules(max_length=50, pattern=r"^[0-9+()\-.][0-9+()\-. ]*$", trim=True)]
# The length limit of content is a setting (max_message_length), checked by the use case.
Content = Annotated[
    Annotated[str, TextRules(blank=False)],
    Field(description="Not blank; at most SB_MAX_MESSAGE_LENGTH characters (10,000 by default)."),
]
ClientMessageId = Annotated[
    Annotated[str, TextRules(min_length=1, max_length=100)],
    Field(description="The client's own id: the same id twice stores one."),
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InboxCreate(_Request):
    name: Name


class _Read(BaseModel):
    """A body read from a row's attributes of the same names (``model_validate(row)``)."""

    model_config = ConfigDict(from_attributes=True)


class InboxRead(_Read):
    id: UUID
    name: str
    widget_token: str
    created_at: datetime


class VisitorCreate(_Request):
    name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None


class VisitorSessionRead(BaseModel):
    visitor_id: UUID
    token: str = Field(description="A visitor token: 'Authorization: Bearer <token>'.")


class ConversationAssignee(BaseModel):
    id: UUID
    name: str | None = Field(description="Null while chat has not heard of the agent.")


class ConversationRead(BaseModel):
    id: UUID
    inbox_id: UUID
    visitor_id: UUID
    status: ConversationStatus
    snoozed_until: datetime | None
    assignee_id: UUID | None
    assignee: ConversationAssignee | None
    created_at: datetime
    updated_at: datetime
    last_message_at: datetime | None

    @classmethod
    def of(cls, view: ConversationView) -> ConversationRead:
        conversation = view.conversation
        assignee = None
        if conversation.assignee_id is not None:
            assignee = ConversationAssignee(id=conversation.assignee_id, name=view.assignee_name)
        return cls(
            id=conversation.id,
            inbox_id=conversation.inbox_id,
            visitor_id=conversation.visitor_id,
            status=ConversationStatus(conversation.status),
            snoozed_until=conversation.snoozed_until,
            assignee_id=conversation.assignee_id,
            assignee=assignee,
            created_at=conversation.created_at,
            updated_at=conversation.updated_at,
            last_message_at=conversation.last_message_at,
        )


class ConversationParticipantRead(BaseModel):
    id: UUID
    name: str | None = Field(description="Null while chat has not heard of the agent.")
    kind: ParticipantKind = Field(
        description="participant: invited to help, sees and writes; monitor: a supervisor or"
        " admin watching silently (the visitor is never told)."
    )

    @classmethod
    def of(cls, participant: ParticipantView) -> ConversationParticipantRead:
        return cls(
            id=participant.agent_id,
            name=participant.name or None,
            kind=ParticipantKind(participant.kind),
        )


class ConversationDetailRead(ConversationRead):
    participants: list[ConversationParticipantRead] = Field(
        description="Agents in the conversation besides the assignee, in the order they joined."
    )

    @classmethod
    def of_detail(cls, detail: ConversationDetail) -> ConversationDetailRead:
        base = ConversationRead.of(detail.view)
        return cls(
            **base.model_dump(),
            participants=[ConversationParticipantRead.of(p) for p in detail.participants],
        )


def conversation_page_json(listed: Rows[ListedConversation]) -> bytes:
    """The JSON of a ``Page[ConversationRead]``, byte for byte what the model would render,
    written straight from the rows: no model per row on the path every agent's list takes."""
    return orjson.dumps(
        {"items": [_listed_item(row) for row in listed.items], "next_cursor": listed.next_cursor},
        option=orjson.OPT_UTC_Z,
    )


def _listed_item(row: ListedConversation) -> dict[str, Any]:
    # ConversationRead's fields in its order. UUIDs as text: asyncpg's own UUID type is not
    # one orjson knows; datetimes as pydantic writes them (OPT_UTC_Z: "Z" for UTC).
    assignee_id = None if row.assignee_id is None else str(row.assignee_id)
    return {
        "id": str(row.id),
        "inbox_id": str(row.inbox_id),
        "visitor_id": str(row.visitor_id),
        "status": row.status,
        "snoozed_until": row.snoozed_until,
        "assignee_id": assignee_id,
        "assignee": None if assignee_id is None else {"id": assignee_id, "name": row.assignee_name},
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "last_message_at": row.last_message_at,
    }


SearchText = Annotated[str, TextRules(min_length=1, max_length=200, blank=False, trim=True)]


class ConversationCountsRead(BaseModel):
    """The sidebar: how many conversations each list holds at the asked status, and how many
    each status holds."""

    mine: int = Field(description="Assigned to the caller.")
    unassigned: int
    all: int
    participating: int = Field(description="The caller takes part in them, or monitors them.")
    by_status: dict[ConversationStatus, int] = Field(
        description="Every status (the other filters apply, not the status's)."
    )

    @classmethod
    def of(cls, counts: SidebarCounts) -> ConversationCountsRead:
        return cls(
            mine=counts.mine,
            unassigned=counts.unassigned,
            all=counts.everyone,
            participating=counts.participating,
            by_status=counts.by_status,
        )


class VisitorConversationCreate(_Request):
    content: Content | None = Field(default=None, description="The first message, if any.")


class ConversationStatusUpdate(_Request):
    status: ConversationStatus
    snoozed_until: Timestamp | None = Field(
        default=None, description="Required with status 'snoozed' (in the future), else absent."
    )


class MessageRead(_Read):
    id: UUID
    conversation_id: UUID
    sender_type: Literal["visitor", "agent", "system"]
    sender_id: UUID | None
    content: str
    private: bool
    client_message_id: str | None
    created_at: datetime


# The 200 of a send that repeats a client_message_id (the first send is 201).
REPLAYED: dict[int | str, dict[str, Any]] = {
    200: {"model": MessageRead, "description": "Replay: this client_message_id was stored before."}
}


def sent_read(sent: SentMessage, response: Response) -> MessageRead:
    """The body of a send; a replay answers 200 instead of the path's 201 (see REPLAYED)."""
    if not sent.created:
        response.status_code = status.HTTP_200_OK
    return MessageRead.model_validate(sent.message)


class VisitorMessageCreate(_Request):
    content: Content
    client_message_id: ClientMessageId | None = None


class AgentMessageCreate(_Request):
    content: Content | None = Field(
        default=None, description="The text; or send canned_response_id instead."
    )
    canned_response_id: UUID | None = Field(
        default=None,
        description="Send this quick reply, its placeholders filled for the conversation"
        " (instead of content: exactly one of the two).",
    )

    @model_validator(mode="after")
    def _content_or_reply(self) -> AgentMessageCreate:
        if (self.content is None) == (self.canned_response_id is None):
            raise ValueError("send exactly one of content and canned_response_id")
        return self

    private: bool = Field(default=False, strict=True, description="A note only agents see.")
    client_message_id: ClientMessageId | None = None
