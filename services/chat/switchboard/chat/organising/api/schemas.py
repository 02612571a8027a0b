"""Request and response bodies of labels, priority, stars and read positions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from switchboard.chat.api.schemas import WidgetConversationRead
from switchboard.chat.organising.domain.priority import ConversationPriority
from switchboard.contracts import chat as contract
from switchboard.contracts.text import TextRules

if TYPE_CHECKING:  # the rows the use cases return
    from switchboard.chat.organising.service.reads import ReadState
    from switchboard.chat.store.models import Label

LabelName = Annotated[
    Annotated[str, TextRules(max_length=50, blank=False, trim=True)],
    Field(description="Unique in the account (as written, after trimming)."),
]
Colour = Annotated[
    Annotated[str, TextRules(pattern="^#[0-9a-fA-F]{6}$")],
    Field(description="#rrggbb; stored in lower case.", examples=["#1e88e5"]),
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LabelCreate(_Request):
    name: LabelName
    colour: Colour


class LabelUpdate(_Request):
    name: LabelName | None = None
    colour: Colour | None = None


class LabelRead(contract.Label):
    """A label of the account with its times (a conversation's reads show it without them)."""

    created_at: datetime
    updated_at: datetime


class ConversationLabelsUpdate(_Request):
    label_ids: list[UUID] = Field(
        max_length=50, description="The whole set: exactly these labels stay on the conversation."
    )


class PriorityUpdate(_Request):
    priority: ConversationPriority


class ReadCreate(_Request):
    message_id: UUID | None = Field(
        default=None, description="Read up to this message; absent: up to the latest."
    )


class ReadStateRead(BaseModel):
    conversation_id: UUID
    last_read_message_id: UUID | None = Field(description="Null: nothing read yet.")
    read_at: datetime | None
    unread_count: int = Field(description="Messages after the position, not the reader's own.")

    @classmethod
    def of(cls, state: ReadState) -> ReadStateRead:
        return cls(
            conversation_id=state.conversation_id,
            last_read_message_id=state.last_read_message_id,
            read_at=state.read_at,
            unread_count=state.unread_count,
        )


class VisitorConversationRead(WidgetConversationRead):
    unread_count: int = Field(
        description="Agents' messages after the visitor's read position (never a private note)."
    )


def conversation_labels(labels: list[Label]) -> list[contract.Label]:
    return [contract.Label.model_validate(label) for label in labels]
