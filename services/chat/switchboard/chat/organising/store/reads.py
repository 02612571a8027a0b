"""Queries of read positions and unread counts (one range of the message index each)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, exists, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.organising.domain.reading import Mark, ReaderType, unread_rule
from switchboard.chat.store.models import Message, ReadPosition


def _visible(account_id: UUID, conversation_id: UUID, reader_type: ReaderType) -> list[Any]:
    clauses: list[Any] = [
        Message.account_id == account_id,
        Message.conversation_id == conversation_id,
    ]
    if reader_type == "visitor":
        clauses.append(Message.private.is_(False))
    return clauses


async def message_mark(
    session: AsyncSession,
    account_id: UUID,
    conversation_id: UUID,
    message_id: UUID,
    reader_type: ReaderType,
) -> Mark | None:
    """Where that message of the account's conversation is, if the reader may see it."""
    row = (
        await session.execute(
            select(Message.created_at, Message.id).where(
                Message.id == message_id, *_visible(account_id, conversation_id, reader_type)
            )
        )
    ).first()
    return Mark(at=row[0], message_id=row[1]) if row is not None else None


async def latest_mark(
    session: AsyncSession, account_id: UUID, conversation_id: UUID, reader_type: ReaderType
) -> Mark | None:
    """Where the account's conversation's latest message the reader may see is."""
    row = (
        await session.execute(
            select(Message.created_at, Message.id)
            .where(*_visible(account_id, conversation_id, reader_type))
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(1)
        )
    ).first()
    return Mark(at=row[0], message_id=row[1]) if row is not None else None


async def position(
    session: AsyncSession,
    account_id: UUID,
    conversation_id: UUID,
    reader_type: ReaderType,
    reader_id: UUID,
    *,
    for_update: bool = False,
) -> ReadPosition | None:
    statement = select(ReadPosition).where(
        ReadPosition.account_id == account_id,
        ReadPosition.conversation_id == conversation_id,
        ReadPosition.reader_type == reader_type,
        ReadPosition.reader_id == reader_id,
    )
    if for_update:
        statement = statement.with_for_update()
    found: ReadPosition | None = await session.scalar(statement)
    return found


def mark_of(found: ReadPosition | None) -> Mark | None:
    if found is None:
        return None
    return Mark(at=found.last_read_message_at, message_id=found.last_read_message_id)


async def put(
    session: AsyncSession,
    *,
    account_id: UUID,
    conversation_id: UUID,
    reader_type: ReaderType,
    reader_id: UUID,
    mark: Mark,
    at: datetime,
) -> bool:
    """Move the reader's position to ``mark``; False when it is already there or beyond (a
    first read of two devices at once finds no position to lock: the later mark wins)."""
    values = {
        "last_read_message_id": mark.message_id,
        "last_read_message_at": mark.at,
        "read_at": at,
    }
    stored = tuple_(ReadPosition.last_read_message_at, ReadPosition.last_read_message_id)
    result = await session.execute(
        insert(ReadPosition)
        .values(
            conversation_id=conversation_id,
            reader_type=reader_type,
            reader_id=reader_id,
            account_id=account_id,
            **values,
        )
        .on_conflict_do_update(
            index_elements=[
                ReadPosition.conversation_id,
                ReadPosition.reader_type,
                ReadPosition.reader_id,
            ],
            set_=values,
            where=stored < tuple_(mark.at, mark.message_id),
        )
        .returning(ReadPosition.reader_id)
    )
    return result.first() is not None


def _counted(reader_type: ReaderType, reader_id: Any) -> list[Any]:
    """What counts as unread for the reader (``domain.reading``), but for his position."""
    rule = unread_rule(reader_type)
    clauses: list[Any] = []
    if reader_type == "visitor" or not rule.private_counts:
        clauses.append(Message.private.is_(False))
    if not rule.system_counts:
        clauses.append(Message.sender_type != "system")
    # Not his own: a message of another kind of sender, or of another one of his kind.
    clauses.append(
        (Message.sender_type != reader_type)
        | Message.sender_id.is_(None)
        | (Message.sender_id != reader_id)
    )
    return clauses


async def unread_count(
    session: AsyncSession,
    account_id: UUID,
    conversation_id: UUID,
    reader_type: ReaderType,
    reader_id: UUID,
    after: Mark | None,
) -> int:
    """The messages of the account's conversation after ``after`` that count as unread for
    the reader (``domain.reading``)."""
    clauses = [
        Message.account_id == account_id,
        Message.conversation_id == conversation_id,
        *_counted(reader_type, reader_id),
    ]
    if after is not None:
        clauses.append(tuple_(Message.created_at, Message.id) > tuple_(after.at, after.message_id))
    count = await session.scalar(select(func.count()).select_from(Message).where(*clauses))
    return int(count or 0)


def unread_clauses(
    conversation_id: ColumnElement[UUID],
    reader_type: ReaderType,
    reader_id: UUID | ColumnElement[UUID],
) -> list[ColumnElement[bool]]:
    """What makes a message unread for the reader in a conversation of a list
    (``conversation_id`` correlates to the list's row): after his position (without one,
    every message), and counted as ``unread_count`` counts."""
    read = ReadPosition.__table__.c
    # Against the message (the enclosing query): a subquery two levels down would not be
    # correlated to the list's row.
    seen = exists().where(
        read.conversation_id == Message.conversation_id,
        read.reader_type == reader_type,
        read.reader_id == reader_id,
        tuple_(read.last_read_message_at, read.last_read_message_id)
        >= tuple_(Message.created_at, Message.id),
    )
    return [Message.conversation_id == conversation_id, *_counted(reader_type, reader_id), ~seen]
