"""The paths of quick replies (canned responses): the agents' and admins' list, the "/"
search, and a reply filled for a conversation."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from switchboard.chat.api.deps import READER_REFUSALS, OriginDep, ReaderDep
from switchboard.chat.attachments.api.routes import UPLOAD_REFUSALS, ChatStateDep
from switchboard.chat.attachments.api.schemas import UPLOAD_BODY, UploadDep
from switchboard.chat.errors import (
    CannedResponseFileNotFound,
    CannedResponseFilesFull,
    CannedResponseNotFound,
    SharedResponseAdminOnly,
    ShortcutTaken,
    TeamIdsNotAllowed,
    TeamIdsRequired,
    TeamNotFound,
    UnknownPlaceholder,
)
from switchboard.chat.quick_replies.api.schemas import (
    CannedResponseAttachmentRead,
    CannedResponseCreate,
    CannedResponsePreview,
    CannedResponseRead,
    CannedResponseUpdate,
    SearchQuery,
    draft_of,
)
from switchboard.chat.quick_replies.service import files, filling, responses
from switchboard.core.auth import AgentDep
from switchboard.core.pagination import Page, PageDep
from switchboard.core.routes import answers, creates, done, lists, removes
from switchboard.core.runtime import DatabaseRuntimeDep

router = APIRouter(tags=["canned responses"])

_SAVE_REFUSALS = (
    TeamNotFound,
    SharedResponseAdminOnly,
    ShortcutTaken,
    UnknownPlaceholder,
    TeamIdsRequired,
    TeamIdsNotAllowed,
)


@router.post("/v1/canned-responses", **creates(CannedResponseRead, *_SAVE_REFUSALS))
async def create_canned_response(
    body: CannedResponseCreate, agent: AgentDep, runtime: DatabaseRuntimeDep, origin: OriginDep
) -> CannedResponseRead:
    """Save a quick reply: personal (anyone), or for the account or teams (admins)."""
    view = await responses.create_reply(runtime, caller=agent, draft=draft_of(body), origin=origin)
    return CannedResponseRead.of(view)


@router.get("/v1/canned-responses", **lists(CannedResponseRead))
async def list_canned_responses(
    agent: AgentDep,
    runtime: DatabaseRuntimeDep,
    page: PageDep,
    q: Annotated[
        SearchQuery | None,
        Query(
            description="The '/' search: shortcuts that begin with it first, then titles and"
            " contents that hold it (from 3 characters on); case and accents do not matter."
        ),
    ] = None,
) -> Page[CannedResponseRead]:
    """The quick replies the caller sees (the account's, his teams', his own), by shortcut."""
    listed = await responses.list_replies(runtime, caller=agent, q=q, page=page)
    return Page.of_rows(listed, CannedResponseRead.of)


@router.get(
    "/v1/canned-responses/{canned_response_id}",
    **answers(CannedResponseRead, CannedResponseNotFound),
)
async def get_canned_response(
    canned_response_id: UUID, agent: AgentDep, runtime: DatabaseRuntimeDep
) -> CannedResponseRead:
    """One quick reply the caller sees."""
    view = await responses.get_reply(runtime, caller=agent, response_id=canned_response_id)
    return CannedResponseRead.of(view)


@router.patch(
    "/v1/canned-responses/{canned_response_id}",
    **answers(CannedResponseRead, CannedResponseNotFound, *_SAVE_REFUSALS),
)
async def update_canned_response(
    canned_response_id: UUID,
    body: CannedResponseUpdate,
    agent: AgentDep,
    runtime: DatabaseRuntimeDep,
    origin: OriginDep,
) -> CannedResponseRead:
    """Change a quick reply the caller manages (the fields sent)."""
    view = await responses.update_reply(
        runtime, caller=agent, response_id=canned_response_id, draft=draft_of(body), origin=origin
    )
    return CannedResponseRead.of(view)


@router.delete(
    "/v1/canned-responses/{canned_response_id}",
    **removes(CannedResponseNotFound, SharedResponseAdminOnly),
)
async def delete_canned_response(
    canned_response_id: UUID, agent: AgentDep, runtime: DatabaseRuntimeDep, origin: OriginDep
) -> Response:
    """Delete a quick reply the caller manages."""
    await responses.delete_reply(
        runtime, caller=agent, response_id=canned_response_id, origin=origin
    )
    return done()


@router.get(
    "/v1/conversations/{conversation_id}/canned-responses/{canned_response_id}/preview",
    **answers(CannedResponsePreview, *READER_REFUSALS, CannedResponseNotFound),
)
async def preview_canned_response(
    conversation_id: UUID,
    canned_response_id: UUID,
    agent: ReaderDep,
    runtime: DatabaseRuntimeDep,
) -> CannedResponsePreview:
    """The quick reply filled for the conversation, as sending it would write it."""
    content = await filling.filled_reply(
        runtime, caller=agent, conversation_id=conversation_id, response_id=canned_response_id
    )
    view = await responses.get_reply(runtime, caller=agent, response_id=canned_response_id)
    return CannedResponsePreview(
        canned_response_id=canned_response_id,
        conversation_id=conversation_id,
        content=content,
        attachments=[CannedResponseAttachmentRead.of(file) for file in view.files],
    )


@router.post(
    "/v1/canned-responses/{canned_response_id}/attachments",
    **creates(
        CannedResponseAttachmentRead,
        CannedResponseNotFound,
        SharedResponseAdminOnly,
        CannedResponseFilesFull,
        *UPLOAD_REFUSALS,
    ),
    openapi_extra=UPLOAD_BODY,
)
async def upload_canned_response_attachment(
    canned_response_id: UUID,
    agent: AgentDep,
    runtime: DatabaseRuntimeDep,
    chat: ChatStateDep,
    upload: UploadDep,
    origin: OriginDep,
) -> CannedResponseAttachmentRead:
    """Add a file (multipart/form-data, part 'file') to a quick reply the caller manages (an
    admin, or the author of a personal one), at most 10; its type is read from its content
    (415), its size limited by the account's default (413). Sending the reply gives the
    message a copy of each."""
    view = await files.upload_reply_file(
        runtime,
        chat.storage,
        caller=agent,
        response_id=canned_response_id,
        upload=upload,
        origin=origin,
    )
    return CannedResponseAttachmentRead.of(view)


@router.delete(
    "/v1/canned-responses/{canned_response_id}/attachments/{attachment_id}",
    **removes(CannedResponseNotFound, SharedResponseAdminOnly, CannedResponseFileNotFound),
)
async def delete_canned_response_attachment(
    canned_response_id: UUID,
    attachment_id: UUID,
    agent: AgentDep,
    runtime: DatabaseRuntimeDep,
    origin: OriginDep,
) -> Response:
    """Remove a file of a quick reply the caller manages (the copies already sent stay)."""
    await files.remove_reply_file(
        runtime,
        caller=agent,
        response_id=canned_response_id,
        file_id=attachment_id,
        origin=origin,
    )
    return done()
