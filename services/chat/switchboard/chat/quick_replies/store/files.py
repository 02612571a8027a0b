"""The files of quick replies (``canned_response_attachment``)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.quick_replies.store.models import CannedResponseAttachment

__all__ = ["add", "count_of", "get", "of_replies", "remove", "remove_of_reply", "signed_one"]

_F = CannedResponseAttachment
Keys = list[tuple[str, str | None]]


async def add(session: AsyncSession, file: CannedResponseAttachment) -> None:
    session.add(file)
    await session.flush()


async def count_of(session: AsyncSession, account_id: UUID, response_id: UUID) -> int:
    counted = select(func.count()).where(
        _F.account_id == account_id, _F.canned_response_id == response_id
    )
    return int(await session.scalar(counted) or 0)


async def of_replies(
    session: AsyncSession, account_id: UUID, response_ids: Sequence[UUID]
) -> dict[UUID, list[CannedResponseAttachment]]:
    """The files of each reply, in upload order."""
    found: dict[UUID, list[CannedResponseAttachment]] = {id_: [] for id_ in response_ids}
    if not response_ids:
        return found
    rows = await session.scalars(
        select(_F)
        .where(_F.account_id == account_id, _F.canned_response_id.in_(list(response_ids)))
        .order_by(_F.created_at, _F.id)
    )
    for file in rows:
        found[file.canned_response_id].append(file)
    return found


async def get(
    session: AsyncSession, account_id: UUID, response_id: UUID, file_id: UUID
) -> CannedResponseAttachment | None:
    return await session.scalar(
        select(_F).where(
            _F.id == file_id, _F.account_id == account_id, _F.canned_response_id == response_id
        )
    )


async def signed_one(session: AsyncSession, file_id: UUID) -> CannedResponseAttachment | None:
    """By id alone: a signed link is the credential, and names no account."""
    return await session.get(CannedResponseAttachment, file_id)


async def remove(session: AsyncSession, file: CannedResponseAttachment) -> Keys:
    await session.delete(file)
    await session.flush()
    return [(file.storage_key, file.thumbnail_key)]


async def remove_of_reply(session: AsyncSession, account_id: UUID, response_id: UUID) -> Keys:
    """Delete the reply's files; their storage keys."""
    removed = await session.execute(
        delete(_F)
        .where(_F.account_id == account_id, _F.canned_response_id == response_id)
        .returning(_F.storage_key, _F.thumbnail_key)
    )
    return [(row.storage_key, row.thumbnail_key) for row in removed]
