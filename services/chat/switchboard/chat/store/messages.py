"""Queries of messages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store.models import Message
from switchboard.core.pagination import PageQuery, Rows, keyset, split_page

_MESSAGE = Message.__table__
# Built once (a statement built per call pays SQLAlchemy's cache-key walk every time); Core,
# not the ORM's bulk insert path: the message path is the hottest of the suite.
_INSERT_UNLESS_SENT = (
    insert(_MESSAGE)
    .on_conflict_do_nothing(
        index_elements=[
            _MESSAGE.c.conversation_id,
            _MESSAGE.c.sender_id,
            _MESSAGE.c.client_message_id,
        ],
        index_where=_MESSAGE.c.client_message_id.is_not(None),
    )
    .returning(*_MESSAGE.c)
)


async def insert_many_unless_sent(
    session: AsyncSession, rows: list[dict[str, Any]]
) -> dict[UUID, Message]:
    """Insert the messages in one statement; the inserted ones by id, built from the rows.

    A repeated ``client_message_id`` (stored before, or twice in ``rows``) is left out; a
    concurrent insert of the same key waits for the other transaction, then is left out.
    """
    if not rows:
        return {}
    # One row as one execution: the many-rows path costs more when there is only one.
    result = await session.execute(_INSERT_UNLESS_SENT, rows[0] if len(rows) == 1 else rows)
    return {row.id: Message(**row._asdict()) for row in result}


async def by_client_message_id(
    session: AsyncSession, conversation_id: UUID, sender_id: UUID, client_message_id: str
) -> Message | None:
    return await session.scalar(
        select(Message).where(
            Message.conversation_id == conversation_id,
            Message.sender_id == sender_id,
            Message.client_message_id == client_message_id,
        )
    )


async def page_of(
    session: AsyncSession,
    conversation_id: UUID,
    *,
    include_private: bool,
    page: PageQuery,
) -> Rows[Message]:
    """A page of the conversation's messages, newest first."""
    statement = select(Message).where(Message.conversation_id == conversation_id)
    if not include_private:
        statement = statement.where(Message.private.is_(False))
    rows = list(await session.scalars(keyset(statement, Message.created_at, Message.id, page)))
    return split_page(rows, page, lambda message: (message.created_at, message.id))
