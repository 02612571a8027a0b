"""Response bodies of attachments."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field

from switchboard.contracts.values import AttachmentKind

if TYPE_CHECKING:  # the views the use cases return
    from switchboard.chat.attachments.service.links import AttachmentView

__all__ = ["MAX_ATTACHMENTS", "UPLOAD_BODY", "AttachmentIds", "AttachmentRead"]

MAX_ATTACHMENTS = 10  # files one message takes


class AttachmentRead(BaseModel):
    id: UUID
    conversation_id: UUID
    message_id: UUID | None = Field(description="Null until a message takes the upload.")
    kind: AttachmentKind
    content_type: str = Field(description="As detected from the content, not the file's name.")
    size: int = Field(description="Bytes.")
    file_name: str
    width: int | None = Field(description="Pixels, for images.")
    height: int | None = Field(description="Pixels, for images.")
    created_at: datetime
    url: str = Field(
        description="The file: a path of this API, signed, that works without a bearer until"
        " it expires (SB_ATTACHMENT_URL_TTL_SECONDS); read again for a fresh one."
    )
    thumbnail_url: str | None = Field(
        description="Images: a thumbnail of at most 320 px a side, signed the same way."
    )

    @classmethod
    def of(cls, view: AttachmentView) -> AttachmentRead:
        a = view.attachment
        return cls(
            id=a.id,
            conversation_id=a.conversation_id,
            message_id=a.message_id,
            kind=a.kind,
            content_type=a.content_type,
            size=a.size,
            file_name=a.file_name,
            width=a.width,
            height=a.height,
            created_at=a.created_at,
            url=view.url,
            thumbnail_url=view.thumbnail_url,
        )


AttachmentIds = Annotated[
    list[UUID],
    Field(
        max_length=MAX_ATTACHMENTS,
        description="Uploads of the sender into this conversation (POST .../attachments) that"
        f" the message takes, at most {MAX_ATTACHMENTS}; the content may then be empty.",
    ),
]


# The request body of an upload, as the OpenAPI shows it (the path reads the stream itself).
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The file; its type is read from its content.",
                        }
                    },
                }
            }
        },
    }
}
