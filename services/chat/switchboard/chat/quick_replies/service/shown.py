"""The files of quick replies as a reader sees them: with links signed for him now."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.attachments.service.links import Links
from switchboard.chat.quick_replies.store import files as store
from switchboard.chat.quick_replies.store.models import CannedResponseAttachment
from switchboard.core.settings import Settings

__all__ = ["ReplyFileView", "files_of"]


@dataclass(frozen=True)
class ReplyFileView:
    file: CannedResponseAttachment
    url: str
    thumbnail_url: str | None


async def files_of(
    session: AsyncSession, settings: Settings, account_id: UUID, response_ids: Sequence[UUID]
) -> dict[UUID, list[ReplyFileView]]:
    """The files of each reply, with links signed now (for a caller who sees the replies)."""
    found = await store.of_replies(session, account_id, response_ids)
    links, now = Links(settings), time.time()
    return {
        response_id: [
            ReplyFileView(file, *links.urls(file.id, file.thumbnail_key, now=now)) for file in files
        ]
        for response_id, files in found.items()
    }
