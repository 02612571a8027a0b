"""Upload a file into a conversation: streamed to a temporary file within the inbox's limit,
its type read from its content, an image measured and given a thumbnail, then stored and
recorded. Whatever fails leaves nothing behind: no object in the storage, no row."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID

import structlog

from switchboard.chat.attachments.domain.files import (
    FileRefusal,
    Sniffed,
    clean_file_name,
    sniff,
)
from switchboard.chat.attachments.service.images import UnreadableImage, measure_and_thumbnail
from switchboard.chat.attachments.service.links import AttachmentView, Links
from switchboard.chat.attachments.service.receiving import receive_file, scratch_directory
from switchboard.chat.attachments.store import attachments as store
from switchboard.chat.attachments.store.objects import Storage
from switchboard.chat.errors import AttachmentTypeNotAllowed
from switchboard.chat.service.access import conversation_view
from switchboard.chat.store.models import Attachment, new_id
from switchboard.core.auth import Principal
from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime

__all__ = ["upload_attachment"]

log = structlog.get_logger(__name__)


async def _limit_of(runtime: DatabaseRuntime, uploader: Principal, conversation_id: UUID) -> int:
    """The conversation's inbox's limit, once the uploader may upload into it (404 otherwise:
    a visitor only into his own conversation; an agent was let write by the route)."""
    visitor_id = uploader.id if uploader.kind == "visitor" else None
    async with runtime.db.session() as session:
        view = await conversation_view(
            session, uploader.account_id, conversation_id, visitor_id=visitor_id
        )
        own = await store.inbox_limit(session, uploader.account_id, view.conversation.inbox_id)
    ceiling = runtime.settings.attachment_max_bytes_ceiling
    return min(own if own is not None else runtime.settings.attachment_max_bytes, ceiling)


async def upload_attachment(
    runtime: DatabaseRuntime,
    storage: Storage,
    *,
    uploader: Principal,
    conversation_id: UUID,
    body: AsyncIterator[bytes],
    content_type: str | None,
) -> AttachmentView:
    """Store the upload's ``file`` part as an attachment of the conversation, not yet sent."""
    limit = await _limit_of(runtime, uploader, conversation_id)
    with scratch_directory() as directory:
        received = await receive_file(
            body, content_type=content_type, limit=limit, directory=directory
        )
        sniffed = sniff(received.head, declared=received.declared_type)
        if isinstance(sniffed, FileRefusal):
            raise AttachmentTypeNotAllowed()
        attachment = Attachment(
            id=new_id(),
            account_id=uploader.account_id,
            conversation_id=conversation_id,
            uploader_type=uploader.kind,
            uploader_id=uploader.id,
            kind=sniffed.kind,
            content_type=sniffed.content_type,
            size=received.size,
            file_name=clean_file_name(received.file_name),
            width=None,
            height=None,
            storage_key=f"{uploader.account_id}/{conversation_id}/{new_id()}",
            thumbnail_key=None,
            message_id=None,
        )
        thumbnail = await _measured(attachment, sniffed, received.path, directory)
        await _stored(runtime, storage, attachment, received.path, thumbnail)
    return Links(runtime.settings).view(attachment)


async def _measured(
    attachment: Attachment, sniffed: Sniffed, source: Path, directory: Path
) -> tuple[Path, str] | None:
    """An image's width, height and thumbnail key; its thumbnail's file and type."""
    if sniffed.kind != "image":
        return None
    try:
        measured = await measure_and_thumbnail(source, directory)
    except UnreadableImage as exc:
        raise AttachmentTypeNotAllowed(f"the image does not decode: {exc}") from exc
    attachment.width, attachment.height = measured.width, measured.height
    attachment.thumbnail_key = f"{attachment.storage_key}.thumbnail{measured.thumbnail.suffix}"
    return measured.thumbnail, measured.thumbnail_type


async def _stored(
    runtime: DatabaseRuntime,
    storage: Storage,
    attachment: Attachment,
    source: Path,
    thumbnail: tuple[Path, str] | None,
) -> None:
    """The objects, then the row; the objects are removed again when anything fails."""
    keys = [attachment.storage_key]
    try:
        await storage.put(attachment.storage_key, source, content_type=attachment.content_type)
        if thumbnail is not None and attachment.thumbnail_key is not None:
            keys.append(attachment.thumbnail_key)
            await storage.put(attachment.thumbnail_key, thumbnail[0], content_type=thumbnail[1])
        async with runtime.work() as work:
            conversation = await conversation_view(
                work.session, attachment.account_id, attachment.conversation_id
            )
            attachment.visitor_id = conversation.conversation.visitor_id
            attachment.created_at = utcnow()
            await store.add(work.session, attachment)
    except BaseException:
        for key in keys:
            with contextlib.suppress(Exception):
                await storage.delete(key)
        raise
