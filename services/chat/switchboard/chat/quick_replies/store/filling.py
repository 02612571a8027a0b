"""What a conversation fills a quick reply's placeholders with."""

from __future__ import annotations

from typing import NamedTuple
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store.models import Agent, Conversation, Inbox, Visitor


class ConversationFacts(NamedTuple):
    conversation_id: UUID
    visitor_name: str | None
    visitor_email: str | None
    visitor_phone: str | None
    inbox_name: str
    agent_name: str | None


async def facts(
    session: AsyncSession, account_id: UUID, conversation_id: UUID, agent_id: UUID
) -> ConversationFacts | None:
    """The conversation's visitor and inbox, and the agent's name (None: no such
    conversation in the account)."""
    agent_name = (
        select(Agent.name)
        .where(Agent.id == agent_id, Agent.account_id == account_id)
        .scalar_subquery()
    )
    statement = (
        select(
            Conversation.id,
            Visitor.name,
            Visitor.email,
            Visitor.phone,
            Inbox.name,
            agent_name,
        )
        .join(Visitor, Visitor.id == Conversation.visitor_id)
        .join(Inbox, Inbox.id == Conversation.inbox_id)
        .where(Conversation.id == conversation_id, Conversation.account_id == account_id)
    )
    row = (await session.execute(statement)).first()
    return ConversationFacts(*row) if row is not None else None
