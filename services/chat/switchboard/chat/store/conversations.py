"""Queries of conversations, each read with the assignee's name from the agent projection."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal, NamedTuple
from uuid import UUID

from sqlalchemy import Row, Select, and_, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from switchboard.chat.store.models import Agent, Conversation, ConversationParticipant
from switchboard.chat.store.paging import newest_first, split_page
from switchboard.core.events import utcnow

AssigneeFilter = UUID | Literal["unassigned"] | None  # None: any assignee or none


class ConversationView(NamedTuple):
    conversation: Conversation
    assignee_name: str | None


def _viewed() -> Select[Any]:
    return select(Conversation, Agent.name).outerjoin(
        Agent,
        and_(Agent.id == Conversation.assignee_id, Agent.account_id == Conversation.account_id),
    )


def _view(row: Row[Any]) -> ConversationView:
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


_CONVERSATION = Conversation.__table__
# Built once; the SET list is the keys of the parameters.
_UPDATE = update(_CONVERSATION).where(_CONVERSATION.c.id == bindparam("conversation_id"))


async def record_message(
    session: AsyncSession, conversation: Conversation, *, at: datetime, status: str | None = None
) -> None:
    """A message arrived at ``at`` (and moved the conversation to ``status`` when given, which
    ends a snooze): one UPDATE, with the loaded object kept in step without an ORM flush."""
    values: dict[str, Any] = {"last_message_at": at, "last_activity_at": at, "updated_at": at}
    if status is not None:
        values |= {"status": status, "snoozed_until": None}
    await session.execute(_UPDATE, {"conversation_id": conversation.id, **values})
    for key, value in values.items():
        set_committed_value(conversation, key, value)


async def assignee_name(session: AsyncSession, account_id: UUID, agent_id: UUID) -> str | None:
    return await session.scalar(
        select(Agent.name).where(Agent.id == agent_id, Agent.account_id == account_id)
    )


async def page(
    session: AsyncSession,
    account_id: UUID,
    *,
    status: str | None,
    assignee: AssigneeFilter,
    inbox_id: UUID | None,
    visitor_id: UUID | None = None,
    participant_id: UUID | None = None,
    cursor: str | None,
    limit: int,
) -> tuple[list[ConversationView], str | None]:
    """A page of the account's conversations, most recent activity first."""
    statement = _viewed().where(Conversation.account_id == account_id)
    if status is not None:
        statement = statement.where(Conversation.status == status)
    if assignee == "unassigned":
        statement = statement.where(Conversation.assignee_id.is_(None))
    elif assignee is not None:
        statement = statement.where(Conversation.assignee_id == assignee)
    if inbox_id is not None:
        statement = statement.where(Conversation.inbox_id == inbox_id)
    if visitor_id is not None:
        statement = statement.where(Conversation.visitor_id == visitor_id)
    if participant_id is not None:
        statement = statement.where(
            Conversation.id.in_(
                select(ConversationParticipant.conversation_id).where(
                    ConversationParticipant.account_id == account_id,
                    ConversationParticipant.agent_id == participant_id,
                )
            )
        )
    statement = newest_first(
        statement,
        Conversation.last_activity_at,
        Conversation.id,
        cursor=cursor,
        limit=limit,
    )
    rows = [_view(row) for row in (await session.execute(statement)).all()]
    return split_page(
        rows, limit, lambda view: (view.conversation.last_activity_at, view.conversation.id)
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
    return [(row[0], row[1], row[2]) for row in rows.all()]
