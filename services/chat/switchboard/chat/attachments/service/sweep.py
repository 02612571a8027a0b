"""Files that go: uploads that no message took, removed after SB_ATTACHMENT_UNSENT_TTL_SECONDS
(chat's worker runs this every few minutes), and the files of a deleted message."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import structlog

from switchboard.chat.attachments.store import attachments as store
from switchboard.chat.attachments.store.objects import Storage, open_storage
from switchboard.chat.store.models import Message
from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.settings import Settings
from switchboard.core.work import UnitOfWork

__all__ = ["delete_after_commit", "remove_message_files", "remove_unsent_attachments"]

log = structlog.get_logger(__name__)
BATCH = 500


async def remove_unsent_attachments(runtime: DatabaseRuntime) -> int:
    """Remove the rows first (a send racing the sweep then finds the upload gone and is
    refused), then their objects; how many uploads went."""
    before = utcnow() - timedelta(seconds=runtime.settings.attachment_unsent_ttl_seconds)
    removed = 0
    async with open_storage(runtime.settings) as storage:
        while True:
            async with runtime.work() as work:
                keys = await store.remove_unsent(work.session, before=before, limit=BATCH)
            await _delete_objects(storage, keys)
            removed += len(keys)
            if len(keys) < BATCH:
                break
    if removed:
        log.info("unsent_attachments_removed", count=removed)
    return removed


async def remove_message_files(work: UnitOfWork, message: Message, settings: Settings) -> None:
    """The files of a message being deleted: their rows go in its transaction, their objects
    after the commit (a failed commit leaves them all)."""
    keys = await store.remove_of_message(work.session, message.account_id, message.id)
    delete_after_commit(work, keys, settings)


def delete_after_commit(
    work: UnitOfWork, keys: list[tuple[str, str | None]], settings: Settings
) -> None:
    """Delete these objects (content and thumbnail keys) once ``work`` has committed."""
    if not keys:
        return

    async def delete_objects() -> None:
        async with open_storage(settings) as storage:
            await _delete_objects(storage, keys)

    work.after_commit(delete_objects)


async def _delete_objects(storage: Storage, keys: list[tuple[str, str | None]]) -> None:
    for content_key, thumbnail_key in keys:
        for key in (content_key, thumbnail_key):
            if key is None:
                continue
            with contextlib.suppress(Exception):  # an orphan object harms nobody
                await storage.delete(key)
