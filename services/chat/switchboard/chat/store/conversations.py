"""Queries of conversations, each read with the assignee's name from the agent projection."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import Row, Select, Uuid, and_, any_, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from switchboard.chat.store.models import Agent, Conversation, ConversationParticipant
from switchboard.core.events import utcnow


class ConversationView(NamedTuple):
    conversation: Conversation
    assignee_name: str | None


def _viewed() -> Select[Conversation, str]:
    return select(Conversation, Agent.name).outerjoin(
        Agent,
        and_(Agent.id == Conversation.assignee_id, Agent.account_id == Conversation.account_id),
    )


def _view(row: Row[Conversation, str]) -> ConversationView:
    return ConversationView(conversation=row[0], assignee_name=row[1])


def _owned(account_id: UUID, conversation_id: UUID, visitor_id: UUID | None) -> list[Any]:
    clauses = [Conversation.id == conversation_id, Conversation.account_id == account_id]
    if visitor_id is not None:
        clauses.append(Conversation.visitor_id == visitor_id)
    return clauses


async def get_view(
    session: AsyncSession,
    account_id: UUID,
    conversation_id: UUID,
    *,
    visitor_id: UUID | None = None,
    for_update: bool = False,
) -> ConversationView | None:
    """The conversation of the account (and of ``visitor_id`` when given), or None."""
    statement = _viewed().where(*_owned(account_id, conversation_id, visitor_id))
    if for_update:
        statement = statement.with_for_update(of=Conversation)
    row = (await session.execute(statement)).first()
    return _view(row) if row is not None else None


async def lock(
    session: AsyncSession,
    account_id: UUID,
    conversation_id: UUID,
    *,
    visitor_id: UUID | None = None,
) -> Conversation | None:
    """The conversation, locked until the transaction ends, or None."""
    params = {"conversation_id": conversation_id, "account_id": account_id}
    if visitor_id is None:
        return await session.scalar(_LOCK, params)
    return await session.scalar(_LOCK_OF_VISITOR, params | {"visitor_id": visitor_id})


# Built once: every message locks its conversation.
_LOCK = (
    select(Conversation)
    .where(
        Conversation.id == bindparam("conversation_id"),
        Conversation.account_id == bindparam("account_id"),
    )
    .with_for_update()
)
_LOCK_OF_VISITOR = _LOCK.where(Conversation.visitor_id == bindparam("visitor_id"))


class LockedConversation(NamedTuple):
    conversation: Conversation
    agent_ids: list[UUID]  # participants and monitors, in the order they joined


_P = ConversationParticipant
# Locked in id order, so two transactions locking overlapping sets cannot deadlock; the
# participants come along (every message's events must reach them): one round trip.
_LOCK_MANY = (
    select(
        Conversation,
        func.array(
            select(_P.agent_id)
            .where(_P.conversation_id == Conversation.id)
            .order_by(_P.joined_at, _P.agent_id)
            .scalar_subquery(),
            type_=ARRAY(Uuid),
        ),
    )
    .where(Conversation.id == any_(bindparam("conversation_ids", type_=ARRAY(Uuid))))
    .order_by(Conversation.id)
    .with_for_update(of=Conversation)
)


async def lock_many(
    session: AsyncSession, conversation_ids: Collection[UUID]
) -> dict[UUID, LockedConversation]:
    """The conversations that exist among ``conversation_ids`` with their participants,
    locked until the transaction ends (the caller checks whose they are)."""
    rows = await session.execute(_LOCK_MANY, {"conversation_ids": list(conversation_ids)})
    return {
        conversation.id: LockedConversation(conversation, list(agent_ids))
        for conversation, agent_ids in rows
    }


_CONVERSATION = Conversation.__table__
# Built once; the SET list is the keys of the parameters.
_UPDATE = update(_CONVERSATION).where(_CONVERSATION.c.id == bindparam("conversation_id"))


async def record_messages(session: AsyncSession, touched: Sequence[Conversation]) -> None:
    """Write the message times and status already set on the locked ``touched`` objects
    (``touch``): one pipelined UPDATE per conversation, one round trip for all."""
    if not touched:
        return
    rows = [
        {
            "conversation_id": conversation.id,
            "last_message_at": conversation.last_message_at,
            "last_activity_at": conversation.last_activity_at,
            "updated_at": conversation.updated_at,
            "status": conversation.status,
            "snoozed_until": conversation.snoozed_until,
            "waiting_since": conversation.waiting_since,
        }
        for conversation in touched
    ]
    await session.execute(_UPDATE, rows[0] if len(rows) == 1 else rows)


def touch(
    conversation: Conversation,
    *,
    at: datetime,
    status: str | None = None,
    waiting_since: datetime | None = None,
) -> None:
    """Set a message's effect on the loaded object (written by ``record_messages``)."""
    values: dict[str, Any] = {
        "last_message_at": at,
        "last_activity_at": at,
        "updated_at": at,
        "waiting_since": waiting_since,
    }
    if status is not None:
        values |= {"status": status, "snoozed_until": None}
    for key, value in values.items():
        set_committed_value(conversation, key, value)


async def assignee_name(session: AsyncSession, account_id: UUID, agent_id: UUID) -> str | None:
    return await session.scalar(
        select(Agent.name).where(Agent.id == agent_id, Agent.account_id == account_id)
    )


async def overdue_snoozes(
    session: AsyncSession, *, grace_seconds: float, limit: int = 500
) -> list[tuple[UUID, UUID, datetime]]:
    """(account id, conversation id, snoozed_until) of snoozes past due by ``grace_seconds``."""
    cutoff = utcnow() - timedelta(seconds=grace_seconds)
    rows = await session.execute(
        select(Conversation.account_id, Conversation.id, Conversation.snoozed_until)
        .where(Conversation.status == "snoozed", Conversation.snoozed_until <= cutoff)
        .order_by(Conversation.snoozed_until)
        .limit(limit)
    )
    return [
        (account_id, conversation_id, until)
        for account_id, conversation_id, until in rows.tuples()
        if until is not None  # always: the WHERE compares it
    ]
