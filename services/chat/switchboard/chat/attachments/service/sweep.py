"""Uploads that no message took are removed after SB_ATTACHMENT_UNSENT_TTL_SECONDS (chat's
worker runs this every few minutes)."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import structlog

from switchboard.chat.attachments.store import attachments as store
from switchboard.chat.attachments.store.objects import open_storage
from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime

__all__ = ["remove_unsent_attachments"]

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
            for content_key, thumbnail_key in keys:
                for key in (content_key, thumbnail_key):
                    if key is None:
                        continue
                    with contextlib.suppress(Exception):  # an orphan object harms nobody
                        await storage.delete(key)
            removed += len(keys)
            if len(keys) < BATCH:
                break
    if removed:
        log.info("unsent_attachments_removed", count=removed)
    return removed
