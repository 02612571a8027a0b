"""The files of quick replies: uploaded by whoever manages the reply (as an upload into a
conversation: content-sniffed, within the account's limit, images thumbnailed), listed with
signed links, and copied into a conversation when the reply is sent."""

from __future__ import annotations

import contextlib
from dataclasses import asdict
from uuid import UUID

from switchboard.chat.attachments.service.links import Links
from switchboard.chat.attachments.service.receiving import Upload
from switchboard.chat.attachments.service.sweep import delete_after_commit
from switchboard.chat.attachments.service.uploads import StoredFile, upload_file
from switchboard.chat.attachments.store import attachments as attachment_store
from switchboard.chat.attachments.store.objects import Storage
from switchboard.chat.errors import (
    CannedResponseFileNotFound,
    CannedResponseFilesFull,
    CannedResponseNotFound,
)
from switchboard.chat.quick_replies.service import events
from switchboard.chat.quick_replies.service.responses import managed, viewer_of
from switchboard.chat.quick_replies.service.shown import ReplyFileView
from switchboard.chat.quick_replies.store import files as store
from switchboard.chat.quick_replies.store import responses as reply_store
from switchboard.chat.quick_replies.store.models import CannedResponse, CannedResponseAttachment
from switchboard.chat.service.access import conversation_view
from switchboard.chat.store.models import Attachment, new_id
from switchboard.contracts.messages import MAX_ATTACHMENTS
from switchboard.core.auth import Principal
from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.work import UnitOfWork

__all__ = [
    "copy_into_conversation",
    "remove_reply_file",
    "upload_reply_file",
]


async def _changed(
    work: UnitOfWork, response: CannedResponse, team_ids: list[UUID], origin: str | None
) -> None:
    """``canned_response.updated``: its files are part of what its readers show."""
    response.updated_at = utcnow()
    members = await reply_store.members_of(work.session, response.account_id, team_ids)
    audience = events.everyone_who_sees(response, members)
    await work.publish(events.updated(response, team_ids, audience, origin))


async def upload_reply_file(
    runtime: DatabaseRuntime,
    storage: Storage,
    *,
    caller: Principal,
    response_id: UUID,
    upload: Upload,
    origin: str | None = None,
) -> ReplyFileView:
    """Store the upload's ``file`` part as a file of the reply the caller manages (404 when he
    does not see it, 403 when he may not change it), within the account's limit."""
    async with runtime.work() as work:
        await managed(work, caller, response_id)  # refused before the body is read
    settings = runtime.settings
    limit = min(settings.attachment_max_bytes, settings.attachment_max_bytes_ceiling)

    async def record(work: UnitOfWork, stored: StoredFile) -> CannedResponseAttachment:
        response, team_ids = await managed(work, caller, response_id)
        if await store.count_of(work.session, caller.account_id, response.id) >= MAX_ATTACHMENTS:
            raise CannedResponseFilesFull()
        file = CannedResponseAttachment(
            id=new_id(),
            account_id=caller.account_id,
            canned_response_id=response.id,
            uploader_id=caller.id,
            created_at=utcnow(),
            **asdict(stored),
        )
        await store.add(work.session, file)
        await _changed(work, response, team_ids, origin)
        return file

    prefix = f"{caller.account_id}/canned-responses/{response_id}"
    file = await upload_file(runtime, storage, upload, limit=limit, prefix=prefix, record=record)
    return ReplyFileView(file, *Links(settings).urls(file.id, file.thumbnail_key))


async def remove_reply_file(
    runtime: DatabaseRuntime,
    *,
    caller: Principal,
    response_id: UUID,
    file_id: UUID,
    origin: str | None = None,
) -> None:
    """Delete a file of a reply the caller manages: its row now, its objects after the commit
    (the copies sent into conversations stay)."""
    async with runtime.work() as work:
        response, team_ids = await managed(work, caller, response_id)
        file = await store.get(work.session, caller.account_id, response.id, file_id)
        if file is None:
            raise CannedResponseFileNotFound()
        delete_after_commit(work, await store.remove(work.session, file), runtime.settings)
        await _changed(work, response, team_ids, origin)


async def copy_into_conversation(
    runtime: DatabaseRuntime,
    storage: Storage,
    *,
    caller: Principal,
    response_id: UUID,
    conversation_id: UUID,
) -> list[UUID]:
    """Copy the reply's files (objects and rows) into the conversation as the caller's uploads
    for the message that sends the reply to take; their ids. A copy no message takes goes
    with the other unsent uploads."""
    async with runtime.db.session() as session:
        response = await reply_store.get(
            session, caller.account_id, response_id, viewer=viewer_of(caller)
        )
        if response is None:
            raise CannedResponseNotFound()
        files = (await store.of_replies(session, caller.account_id, [response.id]))[response.id]
    if not files:
        return []
    copies, keys = await _copied_objects(storage, caller, conversation_id, files)
    try:
        async with runtime.work() as work:
            view = await conversation_view(work.session, caller.account_id, conversation_id)
            for copy in copies:
                copy.visitor_id = view.conversation.visitor_id
                await attachment_store.add(work.session, copy)
    except BaseException:
        await _forget(storage, keys)
        raise
    return [copy.id for copy in copies]


async def _copied_objects(
    storage: Storage,
    caller: Principal,
    conversation_id: UUID,
    files: list[CannedResponseAttachment],
) -> tuple[list[Attachment], list[str]]:
    copies: list[Attachment] = []
    keys: list[str] = []
    try:
        for file in files:
            key = f"{caller.account_id}/{conversation_id}/{new_id()}"
            thumbnail_key = None
            await storage.copy(file.storage_key, key)
            keys.append(key)
            if file.thumbnail_key is not None:
                thumbnail_key = key + file.thumbnail_key.removeprefix(file.storage_key)
                await storage.copy(file.thumbnail_key, thumbnail_key)
                keys.append(thumbnail_key)
            copies.append(_copy_of(file, caller, conversation_id, key, thumbnail_key))
    except BaseException:
        await _forget(storage, keys)
        raise
    return copies, keys


def _copy_of(
    file: CannedResponseAttachment,
    caller: Principal,
    conversation_id: UUID,
    key: str,
    thumbnail_key: str | None,
) -> Attachment:
    return Attachment(
        id=new_id(),
        account_id=caller.account_id,
        conversation_id=conversation_id,
        uploader_type=caller.kind,
        uploader_id=caller.id,
        message_id=None,
        kind=file.kind,
        content_type=file.content_type,
        size=file.size,
        file_name=file.file_name,
        width=file.width,
        height=file.height,
        storage_key=key,
        thumbnail_key=thumbnail_key,
        created_at=utcnow(),
    )


async def _forget(storage: Storage, keys: list[str]) -> None:
    for key in keys:
        with contextlib.suppress(Exception):
            await storage.delete(key)
