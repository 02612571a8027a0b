"""Queries of a message being deleted."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store.models import Message


async def lock(
    session: AsyncSession, account_id: UUID, conversation_id: UUID, message_id: UUID
) -> Message | None:
    """The message of the conversation, locked until the transaction ends, or None."""
    return await session.scalar(
        select(Message)
        .where(
            Message.id == message_id,
            Message.conversation_id == conversation_id,
            Message.account_id == account_id,
        )
        .with_for_update()
    )


def erase(message: Message, *, at: datetime) -> None:
    """Leave the tombstone of the message: its row and place, no content, no payload, no
    mentions."""
    message.content = ""
    message.payload = None
    message.mentions = []
    message.deleted_at = at
