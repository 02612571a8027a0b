"""Reads of attachments: a conversation's and a visitor's files, as the reader may see them,
and the download a signed link opens."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID

from switchboard.chat.attachments.domain.files import content_disposition, thumbnail_type
from switchboard.chat.attachments.domain.links import LinkRefusal, Variant, check_link, link_key
from switchboard.chat.attachments.service.links import AttachmentView, Links
from switchboard.chat.attachments.store import attachments as store
from switchboard.chat.attachments.store.objects import ObjectMissing, Storage
from switchboard.chat.errors import (
    AttachmentLinkExpired,
    AttachmentLinkInvalid,
    AttachmentNotFound,
    VisitorNotFound,
)
from switchboard.chat.quick_replies.store import files as reply_files
from switchboard.chat.quick_replies.store.models import CannedResponseAttachment
from switchboard.chat.service.access import conversation_view
from switchboard.chat.store.models import Attachment
from switchboard.core.auth import Principal, Role
from switchboard.core.pagination import PageQuery, Rows
from switchboard.core.runtime import DatabaseRuntime

__all__ = ["Download", "list_conversation_attachments", "list_visitor_attachments", "open_link"]


async def list_conversation_attachments(
    runtime: DatabaseRuntime, *, reader: Principal, conversation_id: UUID, page: PageQuery
) -> Rows[AttachmentView]:
    """The files sent in the conversation, newest first: an agent (whom the route let read
    it) sees those of private notes too; a visitor, only his own conversation's, never a
    note's."""
    visitor = reader.kind == "visitor"
    async with runtime.db.session() as session:
        await conversation_view(
            session, reader.account_id, conversation_id, visitor_id=reader.id if visitor else None
        )
        rows = await store.page_of_conversation(
            session, reader.account_id, conversation_id, include_private=not visitor, page=page
        )
    links = Links(runtime.settings)
    return rows.map(links.view)


async def list_visitor_attachments(
    runtime: DatabaseRuntime, *, reader: Principal, visitor_id: UUID, page: PageQuery
) -> Rows[AttachmentView]:
    """The files of the visitor's conversations the agent may see, newest first (404 when he
    sees none of them, or the account has no such visitor)."""
    seen_by = None if reader.at_least(Role.supervisor) else reader.id
    async with runtime.db.session() as session:
        if not await store.visitor_seen(session, reader.account_id, visitor_id, seen_by=seen_by):
            raise VisitorNotFound()
        rows = await store.page_of_visitor(
            session, reader.account_id, visitor_id, seen_by=seen_by, page=page
        )
    links = Links(runtime.settings)
    return rows.map(links.view)


@dataclass(frozen=True)
class Download:
    content_type: str
    size: int | None
    disposition: str
    chunks: AsyncIterator[bytes]


_REFUSED = {LinkRefusal.expired: AttachmentLinkExpired, LinkRefusal.invalid: AttachmentLinkInvalid}


async def open_link(
    runtime: DatabaseRuntime,
    storage: Storage,
    *,
    attachment_id: UUID,
    variant: Variant,
    expires: int,
    signature: str,
) -> Download:
    """The file a signed link names (403 when it is not one chat signed, or has expired)."""
    key = link_key(runtime.settings.signing_secret())
    refusal = check_link(key, attachment_id, variant, expires, signature, now=time.time())
    if refusal is not None:
        raise _REFUSED[refusal]()
    async with runtime.db.session() as session:
        attachment: Attachment | CannedResponseAttachment | None = await store.get(
            session, attachment_id
        )
        if attachment is None:  # a quick reply's file: its links are signed the same way
            attachment = await reply_files.signed_one(session, attachment_id)
    if attachment is None:
        raise AttachmentNotFound()
    if variant == "thumbnail":
        if attachment.thumbnail_key is None:
            raise AttachmentNotFound("this attachment has no thumbnail")
        object_key, content_type, size = (
            attachment.thumbnail_key,
            thumbnail_type(attachment.thumbnail_key),
            None,
        )
    else:
        object_key, content_type, size = (
            attachment.storage_key,
            attachment.content_type,
            attachment.size,
        )
    chunks = storage.read(object_key)
    try:
        first = await anext(chunks)
    except StopAsyncIteration:
        first = b""
    except ObjectMissing as exc:
        raise AttachmentNotFound("the file is gone") from exc
    return Download(
        content_type=content_type,
        size=size,
        disposition=content_disposition(attachment.kind, attachment.file_name),  # type: ignore[arg-type]
        chunks=_then(first, chunks),
    )


async def _then(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    if first:
        yield first
    async for chunk in rest:
        yield chunk
