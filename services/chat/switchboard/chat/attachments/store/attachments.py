"""Queries of attachments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store.access import visible_to
from switchboard.chat.store.models import Attachment, Conversation, Inbox, Message, Visitor
from switchboard.core.pagination import PageQuery, Rows, keyset, split_page

__all__ = [
    "add",
    "claim",
    "get",
    "inbox_limit",
    "of_messages",
    "page_of_conversation",
    "page_of_visitor",
    "remove_unsent",
    "visitor_seen",
]


async def inbox_limit(session: AsyncSession, account_id: UUID, inbox_id: UUID) -> int | None:
    """The inbox's own attachment limit (null: the installation's)."""
    return await session.scalar(
        select(Inbox.attachment_max_bytes).where(
            Inbox.id == inbox_id, Inbox.account_id == account_id
        )
    )


async def visitor_seen(
    session: AsyncSession, account_id: UUID, visitor_id: UUID, *, seen_by: UUID | None
) -> bool:
    """The visitor is the account's (and ``seen_by`` sees one of his conversations)."""
    if seen_by is None:
        found = select(Visitor.id).where(Visitor.id == visitor_id, Visitor.account_id == account_id)
    else:
        found = select(Conversation.id).where(
            Conversation.account_id == account_id,
            Conversation.visitor_id == visitor_id,
            visible_to(seen_by),
        )
    return (await session.scalar(found.limit(1))) is not None


async def add(session: AsyncSession, attachment: Attachment) -> None:
    session.add(attachment)
    await session.flush()


async def get(session: AsyncSession, attachment_id: UUID) -> Attachment | None:
    """By id alone: a signed link is the credential, and names no account."""
    return await session.get(Attachment, attachment_id)


async def claim(
    session: AsyncSession,
    ids: Sequence[UUID],
    *,
    message: Message,
    uploader_type: str,
) -> list[Attachment]:
    """Give the message the uploads of its sender into its conversation that no message
    took yet; those it took (fewer than ``ids`` when some were not the sender's to send)."""
    statement = (
        update(Attachment)
        .where(
            Attachment.id.in_(ids),
            Attachment.account_id == message.account_id,
            Attachment.conversation_id == message.conversation_id,
            Attachment.uploader_type == uploader_type,
            Attachment.uploader_id == message.sender_id,
            Attachment.message_id.is_(None),
        )
        .values(message_id=message.id)
        .returning(Attachment)
        .execution_options(synchronize_session=False)
    )
    claimed = {attachment.id: attachment for attachment in await session.scalars(statement)}
    return [claimed[id_] for id_ in ids if id_ in claimed]


async def of_messages(
    session: AsyncSession, account_id: UUID, message_ids: Sequence[UUID]
) -> dict[UUID, list[Attachment]]:
    """The attachments of each of the account's messages, in upload order."""
    if not message_ids:
        return {}
    rows = await session.scalars(
        select(Attachment)
        .where(Attachment.account_id == account_id, Attachment.message_id.in_(message_ids))
        .order_by(Attachment.created_at, Attachment.id)
    )
    taken: dict[UUID, list[Attachment]] = {}
    for attachment in rows:
        assert attachment.message_id is not None
        taken.setdefault(attachment.message_id, []).append(attachment)
    return taken


def _sent() -> Select[Attachment]:
    return select(Attachment).join(Message, Message.id == Attachment.message_id)


def _page(rows: list[Attachment], page: PageQuery) -> Rows[Attachment]:
    return split_page(rows, page, lambda attachment: (attachment.created_at, attachment.id))


async def page_of_conversation(
    session: AsyncSession,
    account_id: UUID,
    conversation_id: UUID,
    *,
    include_private: bool,
    page: PageQuery,
) -> Rows[Attachment]:
    """The files sent in the conversation, newest first (a visitor's reading: no note's)."""
    statement = _sent().where(
        Attachment.account_id == account_id, Attachment.conversation_id == conversation_id
    )
    if not include_private:
        statement = statement.where(Message.private.is_(False))
    ordered = keyset(statement, Attachment.created_at, Attachment.id, page)
    return _page(list(await session.scalars(ordered)), page)


async def page_of_visitor(
    session: AsyncSession,
    account_id: UUID,
    visitor_id: UUID,
    *,
    seen_by: UUID | None,
    page: PageQuery,
) -> Rows[Attachment]:
    """The files sent in the visitor's conversations, newest first; ``seen_by``: only those
    of conversations that agent sees."""
    statement = _sent().where(
        Attachment.account_id == account_id, Attachment.visitor_id == visitor_id
    )
    if seen_by is not None:
        visible = select(Conversation.id).where(
            Conversation.account_id == account_id,
            Conversation.visitor_id == visitor_id,
            visible_to(seen_by),
        )
        statement = statement.where(Attachment.conversation_id.in_(visible))
    ordered = keyset(statement, Attachment.created_at, Attachment.id, page)
    return _page(list(await session.scalars(ordered)), page)


async def remove_unsent(
    session: AsyncSession, *, before: datetime, limit: int
) -> list[tuple[str, str | None]]:
    """Delete uploads no message took, made before ``before``; their storage keys."""
    oldest = (
        select(Attachment.id)
        .where(Attachment.message_id.is_(None), Attachment.created_at < before)
        .order_by(Attachment.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    removed = await session.execute(
        delete(Attachment)
        .where(Attachment.id.in_(oldest.scalar_subquery()), Attachment.message_id.is_(None))
        .returning(Attachment.storage_key, Attachment.thumbnail_key)
    )
    return [(row.storage_key, row.thumbnail_key) for row in removed]


async def remove_of_message(
    session: AsyncSession, account_id: UUID, message_id: UUID
) -> list[tuple[str, str | None]]:
    """Delete the files the account's message took; their storage keys."""
    removed = await session.execute(
        delete(Attachment)
        .where(Attachment.account_id == account_id, Attachment.message_id == message_id)
        .returning(Attachment.storage_key, Attachment.thumbnail_key)
    )
    return [(row.storage_key, row.thumbnail_key) for row in removed]
