"""What connects an agent to a conversation in routing's own tables (the facts of
``switchboard.core.access``): inbox membership, assignment, participation, invitations."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import BindParameter, bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.access import Relation, read_relation
from switchboard.routing.store.models import (
    Assignment,
    Conversation,
    InboxMember,
    Invitation,
    Participant,
)

_AGENT: BindParameter[UUID] = bindparam("agent_id")
_RELATION = select(
    exists().where(InboxMember.inbox_id == Conversation.inbox_id, InboxMember.agent_id == _AGENT),
    exists().where(Assignment.conversation_id == Conversation.id, Assignment.agent_id == _AGENT),
    select(Participant.kind)
    .where(Participant.conversation_id == Conversation.id, Participant.agent_id == _AGENT)
    .scalar_subquery(),
    exists().where(
        Invitation.conversation_id == Conversation.id,
        Invitation.agent_id == _AGENT,
        Invitation.status == "pending",
    ),
).where(
    Conversation.id == bindparam("conversation_id"),
    Conversation.account_id == bindparam("account_id"),
)


async def relation(
    session: AsyncSession, account_id: UUID, conversation_id: UUID, agent_id: UUID
) -> Relation | None:
    """How the agent stands in the conversation; None when the account has no such one."""
    return await read_relation(session, _RELATION, account_id, conversation_id, agent_id)
