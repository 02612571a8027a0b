"""Queries of what connects an agent to conversations: inbox memberships, assignment,
participation and invitations (the facts of ``switchboard.core.access``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    any_,
    bindparam,
    delete,
    exists,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store.models import (
    Conversation,
    ConversationInvitation,
    ConversationMention,
    ConversationParticipant,
    InboxMember,
    Message,
    TeamMember,
)
from switchboard.core.access import Relation, read_relation

_C = Conversation.__table__.c
_M = InboxMember.__table__.c
_P = ConversationParticipant.__table__.c
_I = ConversationInvitation.__table__.c
_N = ConversationMention.__table__.c
_AGENT: BindParameter[UUID] = bindparam("agent_id")
# The facts recorded by (account id, their keys) as they are heard from routing.
Link = InboxMember | ConversationInvitation | TeamMember

# Built once: every agent's read and write of a conversation asks it.
_RELATION = select(
    exists().where(_M.inbox_id == _C.inbox_id, _M.agent_id == _AGENT),
    _C.assignee_id == _AGENT,
    select(_P.kind).where(_P.conversation_id == _C.id, _P.agent_id == _AGENT).scalar_subquery(),
    exists().where(_I.conversation_id == _C.id, _I.agent_id == _AGENT),
    exists().where(_N.conversation_id == _C.id, _N.agent_id == _AGENT),
).where(_C.id == bindparam("conversation_id"), _C.account_id == bindparam("account_id"))


async def relation(
    session: AsyncSession, account_id: UUID, conversation_id: UUID, agent_id: UUID
) -> Relation | None:
    """How the agent stands in the conversation; None when the account has no such one."""
    return await read_relation(session, _RELATION, account_id, conversation_id, agent_id)


def visible_to(agent_id: UUID | ColumnElement[UUID]) -> ColumnElement[bool]:
    """The conversations an agent (not a supervisor) sees: his inboxes', his own, those he
    takes part in or is invited into, and those whose notes mention him."""
    return or_(
        _C.inbox_id.in_(select(_M.inbox_id).where(_M.agent_id == agent_id)),
        _C.assignee_id == agent_id,
        _C.id.in_(select(_P.conversation_id).where(_P.agent_id == agent_id)),
        _C.id.in_(select(_I.conversation_id).where(_I.agent_id == agent_id)),
        _C.id.in_(select(_N.conversation_id).where(_N.agent_id == agent_id)),
    )


async def _record(session: AsyncSession, model: type[Link], held: bool, **keys: UUID) -> None:
    """Record a fact (a row of its keys) while it holds, forget it when it no longer does;
    either is a no-op when already so (a fact is heard again after a redelivery)."""
    if held:
        await session.execute(insert(model).values(**keys).on_conflict_do_nothing())
        return
    columns = model.__table__.c
    await session.execute(
        delete(model).where(*(columns[name] == value for name, value in keys.items()))
    )


async def set_member(
    session: AsyncSession, account_id: UUID, inbox_id: UUID, agent_id: UUID, *, member: bool
) -> None:
    """The agent is (``member``) or is no longer a member of the inbox."""
    await _record(
        session, InboxMember, member, account_id=account_id, inbox_id=inbox_id, agent_id=agent_id
    )


async def set_invitation(
    session: AsyncSession,
    account_id: UUID,
    conversation_id: UUID,
    agent_id: UUID,
    *,
    pending: bool,
) -> None:
    """The agent's invitation into the conversation waits for his answer (``pending``), or
    not (answered, or never made)."""
    await _record(
        session,
        ConversationInvitation,
        pending,
        account_id=account_id,
        conversation_id=conversation_id,
        agent_id=agent_id,
    )


async def record_mentions(
    session: AsyncSession,
    account_id: UUID,
    conversation_id: UUID,
    agent_ids: Iterable[UUID],
    *,
    at: datetime,
) -> None:
    """The agents a note of the conversation mentioned (once each: a fact, not a count)."""
    rows = [
        {
            "conversation_id": conversation_id,
            "agent_id": agent_id,
            "account_id": account_id,
            "mentioned_at": at,
        }
        for agent_id in agent_ids
    ]
    if rows:
        await session.execute(insert(ConversationMention).values(rows).on_conflict_do_nothing())


async def forget_mentions(
    session: AsyncSession, message: Message, agent_ids: Iterable[UUID]
) -> None:
    """The agents the deleted note ``message`` mentioned no longer read the conversation by
    it: each keeps that fact only while another note of it, not deleted, mentions him."""
    wanted = list(set(agent_ids))
    if not wanted:
        return
    msg = Message.__table__.c
    still_mentioned = exists().where(
        msg.conversation_id == _N.conversation_id,
        msg.id != message.id,
        msg.deleted_at.is_(None),
        _N.agent_id == any_(msg.mentions),
    )
    await session.execute(
        delete(ConversationMention).where(
            _N.account_id == message.account_id,
            _N.conversation_id == message.conversation_id,
            _N.agent_id.in_(wanted),
            ~still_mentioned,
        )
    )


async def set_team_member(
    session: AsyncSession, account_id: UUID, team_id: UUID, agent_id: UUID, *, member: bool
) -> None:
    """The agent is (``member``) or is no longer a member of the team."""
    await _record(
        session, TeamMember, member, account_id=account_id, team_id=team_id, agent_id=agent_id
    )
