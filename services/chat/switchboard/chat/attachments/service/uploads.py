"""Upload a file: streamed to a temporary file within a limit, its type read from its content,
an image measured and given a thumbnail, then stored and recorded where it belongs (a
conversation here, a quick reply in ``quick_replies/service/files.py``). Whatever fails
leaves nothing behind: no object in the storage, no row."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar
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
from switchboard.chat.attachments.service.receiving import (
    Upload,
    receive_file,
    scratch_directory,
)
from switchboard.chat.attachments.store import attachments as store
from switchboard.chat.attachments.store.objects import Storage
from switchboard.chat.errors import AttachmentTypeNotAllowed
from switchboard.chat.service.access import conversation_view
from switchboard.chat.store.models import Attachment, new_id
from switchboard.core.auth import Principal
from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.work import UnitOfWork

__all__ = ["StoredFile", "upload_attachment", "upload_file"]

T = TypeVar("T")

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


@dataclass
class StoredFile:
    """A received file as stored, whatever it belongs to: the row ``record`` writes."""

    kind: str
    content_type: str
    size: int
    file_name: str
    storage_key: str
    width: int | None = None
    height: int | None = None
    thumbnail_key: str | None = None


async def upload_file(
    runtime: DatabaseRuntime,
    storage: Storage,
    upload: Upload,
    *,
    limit: int,
    prefix: str,
    record: Callable[[UnitOfWork, StoredFile], Awaitable[T]],
) -> T:
    """Receive the upload's ``file`` part within ``limit``, read its type from its content,
    measure an image and thumbnail it, store its objects under ``prefix`` and let ``record``
    write where it belongs in the same unit of work; what ``record`` returns."""
    with scratch_directory() as directory:
        received = await receive_file(upload, limit=limit, directory=directory)
        sniffed = sniff(received.head, declared=received.declared_type)
        if isinstance(sniffed, FileRefusal):
            raise AttachmentTypeNotAllowed()
        stored = StoredFile(
            kind=sniffed.kind,
            content_type=sniffed.content_type,
            size=received.size,
            file_name=clean_file_name(received.file_name),
            storage_key=f"{prefix}/{new_id()}",
        )
        thumbnail = await _measured(stored, sniffed, received.path, directory)
        return await _stored(runtime, storage, stored, received.path, thumbnail, record)


async def upload_attachment(
    runtime: DatabaseRuntime,
    storage: Storage,
    *,
    uploader: Principal,
    conversation_id: UUID,
    upload: Upload,
) -> AttachmentView:
    """Store the upload's ``file`` part as an attachment of the conversation, not yet sent."""
    limit = await _limit_of(runtime, uploader, conversation_id)

    async def record(work: UnitOfWork, stored: StoredFile) -> Attachment:
        conversation = await conversation_view(work.session, uploader.account_id, conversation_id)
        attachment = Attachment(
            id=new_id(),
            account_id=uploader.account_id,
            conversation_id=conversation_id,
            visitor_id=conversation.conversation.visitor_id,
            uploader_type=uploader.kind,
            uploader_id=uploader.id,
            message_id=None,
            created_at=utcnow(),
            **asdict(stored),
        )
        await store.add(work.session, attachment)
        return attachment

    prefix = f"{uploader.account_id}/{conversation_id}"
    attachment = await upload_file(
        runtime, storage, upload, limit=limit, prefix=prefix, record=record
    )
    return Links(runtime.settings).view(attachment)


async def _measured(
    stored: StoredFile, sniffed: Sniffed, source: Path, directory: Path
) -> tuple[Path, str] | None:
    """An image's width, height and thumbnail key; its thumbnail's file and type."""
    if sniffed.kind != "image":
        return None
    try:
        measured = await measure_and_thumbnail(source, directory)
    except UnreadableImage as exc:
        raise AttachmentTypeNotAllowed(f"the image does not decode: {exc}") from exc
    stored.width, stored.height = measured.width, measured.height
    stored.thumbnail_key = f"{stored.storage_key}.thumbnail{measured.thumbnail.suffix}"
    return measured.thumbnail, measured.thumbnail_type


async def _stored(
    runtime: DatabaseRuntime,
    storage: Storage,
    stored: StoredFile,
    source: Path,
    thumbnail: tuple[Path, str] | None,
    record: Callable[[UnitOfWork, StoredFile], Awaitable[T]],
) -> T:
    """The objects, then the row; the objects are removed again when anything fails."""
    keys = [stored.storage_key]
    try:
        await storage.put(stored.storage_key, source, content_type=stored.content_type)
        if thumbnail is not None and stored.thumbnail_key is not None:
            keys.append(stored.thumbnail_key)
            await storage.put(stored.thumbnail_key, thumbnail[0], content_type=thumbnail[1])
        async with runtime.work() as work:
            return await record(work, stored)
    except BaseException:
        for key in keys:
            with contextlib.suppress(Exception):
                await storage.delete(key)
        raise
