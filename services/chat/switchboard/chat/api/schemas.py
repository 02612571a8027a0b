"""Request and response bodies of chat's REST API."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal
from uuid import UUID

import orjson
from fastapi import Response, status
from pydantic import BaseModel, ConfigDict, Field, Tag

from switchboard.chat.attachments.api.schemas import AttachmentRead
from switchboard.chat.domain.participants import ParticipantKind
from switchboard.chat.domain.status import ConversationStatus
from switchboard.chat.organising.domain.priority import ConversationPriority
from switchboard.chat.service.participants import ConversationDetail
from switchboard.contracts import messages as kinds
from switchboard.contracts.chat import Label
from switchboard.contracts.inputs import IntegerRules, Timestamp
from switchboard.contracts.messages import Content, MessageKind, MessagePayload
from switchboard.contracts.text import SPACE_OR_NUL, TextRules
from switchboard.core.pagination import Rows

if TYPE_CHECKING:  # the rows the use cases return
    from switchboard.chat.organising.service.reads import Organised
    from switchboard.chat.service.messages import SentMessage, ShownMessage
    from switchboard.chat.store.conversations import ConversationView
    from switchboard.chat.store.finding import ListedConversation, SidebarCounts
    from switchboard.chat.store.participants import ParticipantView

Name = Annotated[str, TextRules(max_length=200, blank=False, trim=True)]
_EMAIL_PART = f"[^@{SPACE_OR_NUL}]+"
Email = Annotated[
    str, TextRules(max_length=320, pattern=f"^{_EMAIL_PART}@{_EMAIL_PART}$", trim=True)
]
Phone = Annotated[str, TextRules(max_length=50, pattern=r"^[0-9+()\-.][0-9+()\-. ]*$", trim=True)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InboxCreate(_Request):
    name: Name
    attachment_max_bytes: Annotated[int, IntegerRules(ge=1)] | None = Field(
        default=None,
        description="The largest attachment the inbox takes, in bytes (at most"
        " SB_ATTACHMENT_MAX_BYTES_CEILING); null: SB_ATTACHMENT_MAX_BYTES (25 MB).",
    )


class _Read(BaseModel):
    """A body read from a row's attributes of the same names (``model_validate(row)``)."""

    model_config = ConfigDict(from_attributes=True)


class InboxRead(_Read):
    id: UUID
    name: str
    widget_token: str
    created_at: datetime
    attachment_max_bytes: int | None = Field(
        default=None, description="Null: the installation's SB_ATTACHMENT_MAX_BYTES."
    )


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


class _ConversationFields(BaseModel):
    """What everyone who reads a conversation sees of it, its visitor too."""

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


WaitingSince = Annotated[
    datetime | None,
    Field(description="The visitor wrote last and no agent has answered publicly since then."),
]


class ConversationRead(_ConversationFields):
    priority: ConversationPriority = Field(description="Set by agents; the queue drains by it.")
    waiting_since: WaitingSince
    team_id: UUID | None = Field(
        description="The team it was sent to (by a supervisor or a transfer); null: its"
        " inbox's routing."
    )

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
            priority=ConversationPriority(conversation.priority),
            waiting_since=conversation.waiting_since,
            team_id=conversation.team_id,
        )


class WidgetConversationRead(_ConversationFields):
    """A conversation as its visitor reads it: without its priority and its team, the agents'
    own (as their labels are: internal)."""

    waiting_since: WaitingSince

    @classmethod
    def of(cls, view: ConversationView) -> WidgetConversationRead:
        return cls(**ConversationRead.of(view).model_dump(exclude={"priority", "team_id"}))


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
    labels: list[Label] = Field(description="In the order they were added.")
    starred: bool = Field(description="The caller starred it (a star is each agent's own).")
    unread_count: int = Field(
        description="Messages after the caller's read position that are not his own: other"
        " agents' private notes count, system lines do not."
    )

    @classmethod
    def of_detail(cls, detail: ConversationDetail, organised: Organised) -> ConversationDetailRead:
        base = ConversationRead.of(detail.view)
        return cls(
            **base.model_dump(),
            participants=[ConversationParticipantRead.of(p) for p in detail.participants],
            labels=[Label.model_validate(label) for label in organised.labels],
            starred=organised.starred,
            unread_count=organised.unread_count,
        )


class ConversationListItem(ConversationRead):
    """A conversation in an agent's list: what his read of it adds, without the participants."""

    labels: list[Label] = Field(description="In the order they were added.")
    starred: bool = Field(description="The caller starred it (a star is each agent's own).")
    unread_count: int = Field(
        description="Messages after the caller's read position that are not his own: other"
        " agents' private notes count, system lines do not."
    )


def agent_page_json(listed: Rows[ListedConversation]) -> bytes:
    """The JSON of a ``Page[ConversationListItem]`` (rows read with a ``viewer``), as
    ``conversation_page_json`` writes it."""
    return orjson.dumps(
        {
            "items": [
                _listed_item(row)
                | {"labels": row.labels, "starred": row.starred, "unread_count": row.unread_count}
                for row in listed.items
            ],
            "next_cursor": listed.next_cursor,
        },
        option=orjson.OPT_UTC_Z,
    )


def conversation_page_json(listed: Rows[ListedConversation]) -> bytes:
    """The JSON of a visitor's ``Page[WidgetConversationRead]``, byte for byte what the model
    would render, written straight from the rows (as ``agent_page_json``), the priority and
    the team left out."""
    items = [_listed_item(row) for row in listed.items]
    for item in items:
        del item["priority"], item["team_id"]
    return orjson.dumps(
        {"items": items, "next_cursor": listed.next_cursor}, option=orjson.OPT_UTC_Z
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
        "priority": row.priority,
        "waiting_since": row.waiting_since,
        "team_id": None if row.team_id is None else str(row.team_id),
    }


SearchText = Annotated[str, TextRules(min_length=1, max_length=200, blank=False, trim=True)]


class ConversationCountsRead(BaseModel):
    """The sidebar: how many conversations each list holds at the asked status, and how many
    each status holds."""

    mine: int = Field(description="Assigned to the caller.")
    unassigned: int
    all: int
    participating: int = Field(description="The caller takes part in them, or monitors them.")
    starred: int = Field(description="The caller starred them.")
    unread: int = Field(description="They hold messages the caller has not read.")
    unreplied: int = Field(description="Their visitor waits for an answer.")
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
            starred=counts.starred,
            unread=counts.unread,
            unreplied=counts.unreplied,
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
    content: str = Field(
        description="The text; of a structured kind, a line that sums its payload up; empty"
        " once deleted."
    )
    private: bool
    client_message_id: str | None
    created_at: datetime
    kind: MessageKind
    payload: MessagePayload | None = Field(
        description="The structured kind's content (the model of its kind); null for a text"
        " and once deleted."
    )
    deleted_at: datetime | None = Field(
        description="Set when the message was deleted: a tombstone in its place, no content."
    )
    mentions: list[UUID] = Field(description="The agents a private note mentions.")
    attachments: list[AttachmentRead] = Field(
        default_factory=list, description="Its files, in the order they were uploaded."
    )

    @classmethod
    def of(cls, shown: ShownMessage) -> MessageRead:
        read = cls.model_validate(shown.message)
        read.attachments = [AttachmentRead.of(view) for view in shown.attachments]
        return read


# The 200 of a send that repeats a client_message_id (the first send is 201).
REPLAYED: dict[int | str, dict[str, Any]] = {
    200: {"model": MessageRead, "description": "Replay: this client_message_id was stored before."}
}


def sent_read(sent: SentMessage, response: Response) -> MessageRead:
    """The body of a send; a replay answers 200 instead of the path's 201 (see REPLAYED)."""
    if not sent.created:
        response.status_code = status.HTTP_200_OK
    read = MessageRead.model_validate(sent.message)
    read.attachments = [AttachmentRead.of(view) for view in sent.attachments]
    return read


class _VisitorSend(_Request, kinds.SendOptions):
    pass


class VisitorTextMessageCreate(_VisitorSend, kinds.TextMessage):
    pass


class VisitorLocationMessageCreate(_VisitorSend, kinds.LocationMessage):
    pass


# A visitor sends a text or a location (the kinds of contracts.messages.VISITOR_KINDS).
VisitorMessageCreate = Annotated[
    Annotated[VisitorTextMessageCreate, Tag("text")]
    | Annotated[VisitorLocationMessageCreate, Tag("location")],
    kinds.by_kind(kind for kind in kinds.KINDS if kind in kinds.VISITOR_KINDS),
]


class _AgentSend(_Request, kinds.AgentSendOptions):
    pass


class AgentTextMessageCreate(_AgentSend, kinds.AgentTextMessage):
    pass


class AgentCardMessageCreate(_AgentSend, kinds.CardMessage):
    pass


class AgentProductMessageCreate(_AgentSend, kinds.ProductMessage):
    pass


class AgentVoucherMessageCreate(_AgentSend, kinds.VoucherMessage):
    pass


class AgentOrderMessageCreate(_AgentSend, kinds.OrderMessage):
    pass


class AgentLocationMessageCreate(_AgentSend, kinds.LocationMessage):
    pass


AgentMessageCreate = Annotated[
    Annotated[AgentTextMessageCreate, Tag("text")]
    | Annotated[AgentCardMessageCreate, Tag("card")]
    | Annotated[AgentProductMessageCreate, Tag("product")]
    | Annotated[AgentVoucherMessageCreate, Tag("voucher")]
    | Annotated[AgentOrderMessageCreate, Tag("order")]
    | Annotated[AgentLocationMessageCreate, Tag("location")],
    kinds.by_kind(kinds.KINDS),
]


_Sent = kinds.TextMessage | kinds.StructuredMessage


def content_of(body: _Sent) -> str | MessagePayload:
    """What a send body says: its text (empty beside attachments only), or its payload."""
    return (body.content or "") if isinstance(body, kinds.TextMessage) else body.payload


def reply_of(body: _Sent) -> UUID | None:
    """The quick reply an agent's text body sends, if any."""
    return body.canned_response_id if isinstance(body, kinds.AgentTextMessage) else None


def attachments_of(body: _Sent) -> list[UUID]:
    """The uploads a send body sends (a text's; a structured kind carries none)."""
    return list(body.attachment_ids) if isinstance(body, kinds.TextMessage) else []
