"""The paths of attachments: uploads into a conversation (agents and its visitor), the lists
of shared files, and the downloads that signed links open (no bearer: an ``<img>`` loads
them)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import StreamingResponse

from switchboard.chat.api.deps import READER_REFUSALS, WRITER_REFUSALS, ReaderDep, WriterDep
from switchboard.chat.attachments.api.schemas import UPLOAD_BODY, AttachmentRead, UploadDep
from switchboard.chat.attachments.domain.links import Variant
from switchboard.chat.attachments.service import reads, uploads
from switchboard.chat.attachments.service.receiving import Upload
from switchboard.chat.errors import (
    AttachmentLinkExpired,
    AttachmentLinkInvalid,
    AttachmentNotFound,
    AttachmentTooLarge,
    AttachmentTypeNotAllowed,
    ConversationNotFound,
    UploadNotMultipart,
    UploadWithoutFile,
    VisitorNotFound,
)
from switchboard.chat.service.state import ChatState
from switchboard.contracts.text import Text
from switchboard.core.app import service_state
from switchboard.core.auth import AgentDep, Principal, VisitorDep
from switchboard.core.openapi import refusals
from switchboard.core.pagination import Page, PageDep
from switchboard.core.routes import creates, lists
from switchboard.core.runtime import DatabaseRuntime, DatabaseRuntimeDep

__all__ = ["router"]

router = APIRouter(tags=["attachments"])

ChatStateDep = Annotated[ChatState, service_state(ChatState)]
UPLOAD_REFUSALS = (
    AttachmentTooLarge,
    AttachmentTypeNotAllowed,
    UploadNotMultipart,
    UploadWithoutFile,
)


async def _upload(
    runtime: DatabaseRuntime,
    chat: ChatState,
    uploader: Principal,
    conversation_id: UUID,
    upload: Upload,
) -> AttachmentRead:
    view = await uploads.upload_attachment(
        runtime, chat.storage, uploader=uploader, conversation_id=conversation_id, upload=upload
    )
    return AttachmentRead.of(view)


@router.post(
    "/v1/conversations/{conversation_id}/attachments",
    **creates(AttachmentRead, *WRITER_REFUSALS, *UPLOAD_REFUSALS),
    openapi_extra=UPLOAD_BODY,
)
async def upload_agent_attachment(
    conversation_id: UUID,
    agent: WriterDep,
    runtime: DatabaseRuntimeDep,
    chat: ChatStateDep,
    upload: UploadDep,
) -> AttachmentRead:
    """Upload a file (multipart/form-data, part 'file') into the conversation, to send with
    a message (attachment_ids) within a day; its type is read from its content (415), its
    size limited by the inbox (413)."""
    return await _upload(runtime, chat, agent, conversation_id, upload)


@router.post(
    "/v1/public/conversations/{conversation_id}/attachments",
    **creates(AttachmentRead, ConversationNotFound, *UPLOAD_REFUSALS),
    openapi_extra=UPLOAD_BODY,
    tags=["widget"],
)
async def upload_visitor_attachment(
    conversation_id: UUID,
    visitor: VisitorDep,
    runtime: DatabaseRuntimeDep,
    chat: ChatStateDep,
    upload: UploadDep,
) -> AttachmentRead:
    """Upload a file (an image, a voice note ...) into the visitor's own conversation, to send
    with a message; limited per visitor like his messages (429 rate_limited)."""
    await runtime.rate_limits.hit(
        runtime.settings.rate_limit_messages_per_visitor, "uploads", str(visitor.id)
    )
    return await _upload(runtime, chat, visitor, conversation_id, upload)


@router.get(
    "/v1/conversations/{conversation_id}/attachments",
    **lists(AttachmentRead, *READER_REFUSALS),
)
async def list_conversation_attachments(
    conversation_id: UUID, agent: ReaderDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> Page[AttachmentRead]:
    """The files sent in the conversation, private notes' included, newest first."""
    listed = await reads.list_conversation_attachments(
        runtime, reader=agent, conversation_id=conversation_id, page=page
    )
    return Page.of_rows(listed, AttachmentRead.of)


@router.get(
    "/v1/public/conversations/{conversation_id}/attachments",
    **lists(AttachmentRead, ConversationNotFound),
    tags=["widget"],
)
async def list_visitor_conversation_attachments(
    conversation_id: UUID, visitor: VisitorDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> Page[AttachmentRead]:
    """The files sent in the visitor's own conversation, newest first; never a note's."""
    listed = await reads.list_conversation_attachments(
        runtime, reader=visitor, conversation_id=conversation_id, page=page
    )
    return Page.of_rows(listed, AttachmentRead.of)


@router.get("/v1/visitors/{visitor_id}/attachments", **lists(AttachmentRead, VisitorNotFound))
async def list_visitor_attachments(
    visitor_id: UUID, agent: AgentDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> Page[AttachmentRead]:
    """The files sent in the visitor's conversations that the caller may see (an agent: those
    of his inboxes and the ones he is in), newest first."""
    listed = await reads.list_visitor_attachments(
        runtime, reader=agent, visitor_id=visitor_id, page=page
    )
    return Page.of_rows(listed, AttachmentRead.of)


_DOWNLOAD = {
    200: {
        "description": "The file, streamed, with its content type and disposition.",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    },
    **refusals(AttachmentLinkExpired, AttachmentLinkInvalid, AttachmentNotFound),
}
Expires = Annotated[int, Query(ge=0, le=2**53, description="Unix time, as the link says.")]
Signature = Annotated[Text, Query(max_length=100, description="As the link says.")]


AttachmentId = Annotated[UUID, Path()]


async def _link(  # async: a plain def dependency runs in a worker thread
    attachment_id: AttachmentId,
    expires: Expires,
    signature: Signature,
    runtime: DatabaseRuntimeDep,
    chat: ChatStateDep,
) -> Callable[[Variant], Awaitable[StreamingResponse]]:
    """The signed link of the path, to open as the file or as its thumbnail."""

    async def opened(variant: Variant) -> StreamingResponse:
        download = await reads.open_link(
            runtime,
            chat.storage,
            attachment_id=attachment_id,
            variant=variant,
            expires=expires,
            signature=signature,
        )
        headers = {
            "content-disposition": download.disposition,
            "x-content-type-options": "nosniff",
            "content-security-policy": "default-src 'none'; sandbox",
            "cache-control": "private, max-age=300",
        }
        if download.size is not None:
            headers["content-length"] = str(download.size)
        return StreamingResponse(download.chunks, media_type=download.content_type, headers=headers)

    return opened


# ``await link(variant)``: the download of what the link opens.
LinkDep = Annotated[Callable[[Variant], Awaitable[StreamingResponse]], Depends(_link)]


@router.get(
    "/v1/attachments/{attachment_id}/content",
    response_class=StreamingResponse,
    responses=_DOWNLOAD,
)
async def download_attachment(link: LinkDep) -> StreamingResponse:
    """The file of a signed link (no bearer: the link is handed only to readers of the
    conversation); 403 when it has expired or was altered."""
    return await link("content")


@router.get(
    "/v1/attachments/{attachment_id}/thumbnail",
    response_class=StreamingResponse,
    responses=_DOWNLOAD,
)
async def download_attachment_thumbnail(link: LinkDep) -> StreamingResponse:
    """The thumbnail of an image, by its signed link."""
    return await link("thumbnail")
