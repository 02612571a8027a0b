"""Request and response bodies of quick replies."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from switchboard.chat.attachments.api.schemas import FileRead
from switchboard.chat.quick_replies.domain.audience import Visibility
from switchboard.chat.quick_replies.domain.placeholders import PLACEHOLDERS
from switchboard.chat.quick_replies.domain.shortcuts import SHORTCUT_MAX_LENGTH, SHORTCUT_PATTERN
from switchboard.chat.quick_replies.service.responses import ReplyDraft
from switchboard.contracts.text import TextRules

if TYPE_CHECKING:
    from switchboard.chat.quick_replies.service.responses import ReplyView
    from switchboard.chat.quick_replies.service.shown import ReplyFileView

_KNOWN = ", ".join(f"{{{{{name}}}}}" for name in sorted(PLACEHOLDERS))

Shortcut = Annotated[
    Annotated[str, TextRules(max_length=SHORTCUT_MAX_LENGTH, pattern=SHORTCUT_PATTERN)],
    Field(
        description="The word after '/' in the composer: letters, digits, '_', '-', '.';"
        " unique in the account whatever its case (kept in lower case)."
    ),
]
Title = Annotated[str, TextRules(max_length=200, blank=False, trim=True)]
ReplyContent = Annotated[
    Annotated[str, TextRules(max_length=10_000)],
    Field(
        description=f"The text it sends. Placeholders filled at send time: {_KNOWN}; any"
        " other is refused (422 unknown_placeholder; a contact's custom attributes are not"
        " available yet). May be empty for a reply of files alone (a send of a reply with"
        " neither is 422 validation_error)."
    ),
]
TeamIds = Annotated[
    list[UUID],
    Field(max_length=50, description="The teams that see it (visibility 'team' only)."),
]
VisibilityField = Annotated[
    Visibility,
    Field(
        description="account: every agent; team: the members of team_ids (and supervisors and"
        " admins); personal: its author alone. Only admins save account and team ones."
    ),
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CannedResponseCreate(_Request):
    shortcut: Shortcut
    title: Title
    content: ReplyContent = ""
    visibility: VisibilityField = Visibility.personal
    team_ids: TeamIds = []


class CannedResponseUpdate(_Request):
    shortcut: Shortcut | None = None
    title: Title | None = None
    content: ReplyContent | None = None
    visibility: VisibilityField | None = None
    team_ids: TeamIds | None = None


def draft_of(body: CannedResponseCreate | CannedResponseUpdate) -> ReplyDraft:
    """What a body writes: a new reply's every field, or a change's (not sent: None, kept)."""
    return ReplyDraft(
        shortcut=body.shortcut,
        title=body.title,
        content=body.content,
        visibility=body.visibility,
        team_ids=body.team_ids,
    )


class CannedResponseAttachmentRead(FileRead):
    """A file of a quick reply: sent, it is copied into the conversation."""

    @classmethod
    def of(cls, view: ReplyFileView) -> CannedResponseAttachmentRead:
        return cls(**FileRead.fields_of(view.file, view.url, view.thumbnail_url))


class CannedResponseRead(BaseModel):
    id: UUID
    shortcut: str
    title: str
    content: str = Field(description="With its placeholders, as saved.")
    visibility: Visibility
    team_ids: list[UUID]
    owner_id: UUID = Field(description="Its author.")
    attachments: list[CannedResponseAttachmentRead] = Field(
        default=[],
        description="Its files (POST .../attachments), copied into the conversation with the"
        " message that sends it.",
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: ReplyView) -> CannedResponseRead:
        response = view.response
        return cls(
            id=response.id,
            shortcut=response.shortcut,
            title=response.title,
            content=response.content,
            visibility=Visibility(response.visibility),
            team_ids=view.team_ids,
            owner_id=response.owner_id,
            attachments=[CannedResponseAttachmentRead.of(file) for file in view.files],
            created_at=response.created_at,
            updated_at=response.updated_at,
        )


class CannedResponsePreview(BaseModel):
    canned_response_id: UUID
    conversation_id: UUID
    content: str = Field(description="The reply's content filled for the conversation.")
    attachments: list[CannedResponseAttachmentRead] = Field(
        default=[], description="The files sending it gives the message (as copies)."
    )


SearchQuery = Annotated[str, TextRules(max_length=200, trim=True)]
