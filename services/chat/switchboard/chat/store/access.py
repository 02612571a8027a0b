"""Queries of what connects an agent to conversations: inbox memberships, assignment,
participation and invitations (the facts of ``switchboard.core.access``)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import BindParameter, ColumnElement, bindparam, delete, exists, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store.models import (
    Conversation,
    ConversationInvitation,
    ConversationParticipant,
    InboxMember,
)
from switchboard.core.access import Relation

_C = Conversation.__table__.c
_M = InboxMember.__table__.c
_P = ConversationParticipant.__table__.c
_I = ConversationInvitation.__table__.c
_AGENT: BindParameter[UUID] = bindparam("agent_id")

# Built once: every agent's read and write of a conversation asks it.
_RELATION = select(
    exists().where(_M.inbox_id == _C.inbox_id, _M.agent_id == _AGENT),
    _C.assignee_id == _AGENT,
    select(_P.kind).where(_P.conversation_id == _C.id, _P.agent_id == _AGENT).scalar_subquery(),
    exists().where(_I.conversation_id == _C.id, _I.agent_id == _AGENT),
).where(_C.id == bindparam("conversation_id"), _C.account_id == bindparam("account_id"))


async def relation(
    session: AsyncSession, account_id: UUID, conversation_id: UUID, agent_id: UUID
) -> Relation | None:
    """How the agent stands in the conversation; None when the account has no such one."""
    params = {"account_id": account_id, "conversation_id": conversation_id, "agent_id": agent_id}
    row = (await session.execute(_RELATION, params)).first()
    if row is None:
        return None
    member, assignee, kind, invited = row
    return Relation.of(inbox_member=member, assignee=assignee, kind=kind, invited=invited)


def visible_to(agent_id: UUID) -> ColumnElement[bool]:
    """The conversations an agent (not a supervisor) sees: his inboxes', his own, and those
    he takes part in or is invited into."""
    return or_(
        _C.inbox_id.in_(select(_M.inbox_id).where(_M.agent_id == agent_id)),
        _C.assignee_id == agent_id,
        _C.id.in_(select(_P.conversation_id).where(_P.agent_id == agent_id)),
        _C.id.in_(select(_I.conversation_id).where(_I.agent_id == agent_id)),
    )


async def put_member(
    session: AsyncSession, account_id: UUID, inbox_id: UUID, agent_id: UUID
) -> None:
    await session.execute(
        insert(InboxMember)
        .values(inbox_id=inbox_id, agent_id=agent_id, account_id=account_id)
        .on_conflict_do_nothing()
    )


async def remove_member(
    session: AsyncSession, account_id: UUID, inbox_id: UUID, agent_id: UUID
) -> None:
    await session.execute(
        delete(InboxMember).where(
            InboxMember.account_id == account_id,
            InboxMember.inbox_id == inbox_id,
            InboxMember.agent_id == agent_id,
        )
    )


async def put_invitation(
    session: AsyncSession, account_id: UUID, conversation_id: UUID, agent_id: UUID
) -> None:
    await session.execute(
        insert(ConversationInvitation)
        .values(conversation_id=conversation_id, agent_id=agent_id, account_id=account_id)
        .on_conflict_do_nothing()
    )


async def remove_invitation(
    session: AsyncSession, account_id: UUID, conversation_id: UUID, agent_id: UUID
) -> None:
    await session.execute(
        delete(ConversationInvitation).where(
            ConversationInvitation.account_id == account_id,
            ConversationInvitation.conversation_id == conversation_id,
            ConversationInvitation.agent_id == agent_id,
        )
    )
