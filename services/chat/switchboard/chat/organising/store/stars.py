"""Queries of agents' stars."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store.models import ConversationStar


async def put(
    session: AsyncSession, *, account_id: UUID, conversation_id: UUID, agent_id: UUID, at: datetime
) -> bool:
    """Star it for the agent; False when it was starred already."""
    result = await session.execute(
        insert(ConversationStar)
        .values(
            conversation_id=conversation_id, agent_id=agent_id, account_id=account_id, starred_at=at
        )
        .on_conflict_do_nothing()
        .returning(ConversationStar.conversation_id)
    )
    return result.first() is not None


async def remove(
    session: AsyncSession, account_id: UUID, conversation_id: UUID, agent_id: UUID
) -> bool:
    """Unstar it; False when it was not starred."""
    result = await session.execute(
        delete(ConversationStar)
        .where(
            ConversationStar.account_id == account_id,
            ConversationStar.conversation_id == conversation_id,
            ConversationStar.agent_id == agent_id,
        )
        .returning(ConversationStar.conversation_id)
    )
    return result.first() is not None


async def starred(
    session: AsyncSession, account_id: UUID, conversation_id: UUID, agent_id: UUID
) -> bool:
    found = await session.scalar(
        select(
            exists().where(
                ConversationStar.account_id == account_id,
                ConversationStar.conversation_id == conversation_id,
                ConversationStar.agent_id == agent_id,
            )
        )
    )
    return bool(found)
