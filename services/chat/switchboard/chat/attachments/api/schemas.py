"""Bodies of attachments: the reads, and the upload a path streams in."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

from fastapi import Depends, Request
from pydantic import BaseModel, Field

from switchboard.chat.attachments.service.receiving import Upload
from switchboard.contracts.values import AttachmentKind

if TYPE_CHECKING:  # the views the use cases return
    from switchboard.chat.attachments.service.links import AttachmentView

__all__ = ["UPLOAD_BODY", "AttachmentRead", "FileRead", "UploadDep"]


class FileRead(BaseModel):
    """A stored file as a read shows it: a message's attachment, or a quick reply's file."""

    id: UUID
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

    @staticmethod
    def fields_of(file: Any, url: str, thumbnail_url: str | None) -> dict[str, Any]:
        """The fields of a stored file's row (an attachment or a reply's file) and its links."""
        return {
            "id": file.id,
            "kind": file.kind,
            "content_type": file.content_type,
            "size": file.size,
            "file_name": file.file_name,
            "width": file.width,
            "height": file.height,
            "created_at": file.created_at,
            "url": url,
            "thumbnail_url": thumbnail_url,
        }


class AttachmentRead(FileRead):
    conversation_id: UUID
    message_id: UUID | None = Field(description="Null until a message takes the upload.")

    @classmethod
    def of(cls, view: AttachmentView) -> AttachmentRead:
        a = view.attachment
        return cls(
            **FileRead.fields_of(a, view.url, view.thumbnail_url),
            conversation_id=a.conversation_id,
            message_id=a.message_id,
        )


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


async def _upload(request: Request) -> Upload:  # async: a plain def runs in a worker thread
    return Upload(request.stream(), request.headers.get("content-type"))


# The upload of a path with ``openapi_extra=UPLOAD_BODY``, read as it streams in.
UploadDep = Annotated[Upload, Depends(_upload)]
