"""Queries of the unassigned queue and of assignments."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Uuid,
    and_,
    delete,
    exists,
    false,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.db import Timestamp
from switchboard.core.pagination import PageQuery, Rows, SortKey, ordered, split_page_by
from switchboard.routing.store.models import (
    Agent,
    Assignment,
    Conversation,
    Lapse,
    QueuedConversation,
    QueuePosition,
)

# Highest priority first, then the longest waiting.
QUEUE_ORDER = (
    QueuedConversation.priority.desc(),
    QueuedConversation.queued_at,
    QueuedConversation.conversation_id,
)
# The same order as the keys of a page's cursor.
_QUEUE_KEYS = (
    SortKey(QueuedConversation.priority, descending=True),
    SortKey(QueuedConversation.queued_at, read=datetime.fromisoformat),
    SortKey(QueuedConversation.conversation_id, read=UUID),
)


async def enqueue(
    session: AsyncSession,
    *,
    conversation_id: UUID,
    account_id: UUID,
    inbox_id: UUID,
    at: datetime,
    team_id: UUID | None = None,
) -> bool:
    """Queue the conversation unless it is queued or assigned already."""
    table = QueuedConversation.__table__
    already_assigned = exists().where(Assignment.conversation_id == conversation_id)
    # The conversation's priority comes along: chat's, as routing last heard it.
    priority = func.coalesce(
        select(Conversation.priority).where(Conversation.id == conversation_id).scalar_subquery(),
        0,
    )
    source = select(
        literal(conversation_id, Uuid()),
        literal(account_id, Uuid()),
        literal(inbox_id, Uuid()),
        literal(at, Timestamp),
        literal(team_id, Uuid()),
        priority,
    ).where(~already_assigned)
    columns = ["conversation_id", "account_id", "inbox_id", "queued_at", "team_id", "priority"]
    result = await session.execute(
        insert(table)
        .from_select(columns, source)
        .on_conflict_do_nothing()
        .returning(table.c.conversation_id)
    )
    return result.first() is not None


async def get(
    session: AsyncSession, account_id: UUID, conversation_id: UUID, *, lock: bool = False
) -> QueuedConversation | None:
    statement = select(QueuedConversation).where(
        QueuedConversation.account_id == account_id,
        QueuedConversation.conversation_id == conversation_id,
    )
    if lock:
        statement = statement.with_for_update()
    queued: QueuedConversation | None = await session.scalar(statement)
    return queued


async def dequeue(session: AsyncSession, account_id: UUID, conversation_id: UUID) -> None:
    await session.execute(
        delete(QueuedConversation).where(
            QueuedConversation.account_id == account_id,
            QueuedConversation.conversation_id == conversation_id,
        )
    )


def in_scope(inbox_ids: Collection[UUID], team_ids: Collection[UUID]) -> ColumnElement[bool]:
    """Rows routed by these inboxes (no team of their own) or sent to these teams."""
    parts: list[ColumnElement[bool]] = []
    if inbox_ids:
        parts.append(
            and_(
                QueuedConversation.team_id.is_(None),
                QueuedConversation.inbox_id.in_(list(inbox_ids)),
            )
        )
    if team_ids:
        parts.append(QueuedConversation.team_id.in_(list(team_ids)))
    return or_(*parts) if parts else false()


async def take_oldest(
    session: AsyncSession,
    account_id: UUID,
    inbox_ids: Collection[UUID],
    team_ids: Collection[UUID] = (),
) -> QueuedConversation | None:
    """Lock the first waiting conversation in scope that nobody holds and nobody is offered."""
    queued: QueuedConversation | None = await session.scalar(
        select(QueuedConversation)
        .where(
            QueuedConversation.account_id == account_id,
            QueuedConversation.offer_id.is_(None),
            in_scope(inbox_ids, team_ids),
        )
        .order_by(*QUEUE_ORDER)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return queued


async def any_queued(
    session: AsyncSession,
    account_id: UUID,
    inbox_ids: Collection[UUID],
    team_ids: Collection[UUID] = (),
) -> bool:
    found = await session.scalar(
        select(
            exists().where(
                QueuedConversation.account_id == account_id,
                QueuedConversation.offer_id.is_(None),
                in_scope(inbox_ids, team_ids),
            )
        )
    )
    return bool(found)


async def lapsed_agents(session: AsyncSession, conversation_id: UUID) -> set[UUID]:
    rows = await session.scalars(
        select(Lapse.agent_id).where(Lapse.conversation_id == conversation_id)
    )
    return set(rows)


async def record_lapse(
    session: AsyncSession, *, account_id: UUID, conversation_id: UUID, agent_id: UUID, at: datetime
) -> None:
    await session.execute(
        insert(Lapse.__table__)
        .values(
            conversation_id=conversation_id, agent_id=agent_id, account_id=account_id, lapsed_at=at
        )
        .on_conflict_do_nothing()
    )


async def upsert_assignment(
    session: AsyncSession,
    *,
    conversation_id: UUID,
    account_id: UUID,
    inbox_id: UUID,
    agent_id: UUID,
    at: datetime,
    waited_seconds: float | None,
) -> None:
    await session.execute(
        Agent.__table__.update().where(Agent.id == agent_id).values(last_assigned_at=at)
    )
    statement = insert(Assignment.__table__).values(
        conversation_id=conversation_id,
        account_id=account_id,
        inbox_id=inbox_id,
        agent_id=agent_id,
        assigned_at=at,
        waited_seconds=waited_seconds,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[Assignment.__table__.c.conversation_id],
            set_={"agent_id": agent_id, "assigned_at": at, "waited_seconds": waited_seconds},
        )
    )


async def remove_assignment(session: AsyncSession, conversation_id: UUID) -> None:
    await session.execute(delete(Assignment).where(Assignment.conversation_id == conversation_id))


async def recent_waits(session: AsyncSession, inbox_id: UUID, *, limit: int = 20) -> list[float]:
    """How long the inbox's most recent conversations waited before an agent got them."""
    rows = await session.scalars(
        select(Assignment.waited_seconds)
        .where(Assignment.inbox_id == inbox_id, Assignment.waited_seconds.is_not(None))
        .order_by(Assignment.assigned_at.desc())
        .limit(limit)
    )
    return [float(value) for value in rows if value is not None]


async def queues_with_waiting(session: AsyncSession) -> list[tuple[UUID, UUID, UUID | None]]:
    """(account id, inbox id, team id) of every queue with someone waiting unoffered."""
    rows = await session.execute(
        select(
            QueuedConversation.account_id,
            QueuedConversation.inbox_id,
            QueuedConversation.team_id,
        )
        .where(QueuedConversation.offer_id.is_(None))
        .distinct()
    )
    return [(row[0], row[1], row[2]) for row in rows]


QueueRow = tuple[QueuedConversation, UUID | None, int | None]


async def page(
    session: AsyncSession, account_id: UUID, scope: ColumnElement[bool], page: PageQuery
) -> Rows[QueueRow]:
    """The waiting conversations in scope with their visitor and last told position, in queue
    order; the cursor names a priority, a queued time and an id."""
    statement = (
        select(QueuedConversation, Conversation.visitor_id, QueuePosition.position)
        .outerjoin(Conversation, Conversation.id == QueuedConversation.conversation_id)
        .outerjoin(
            QueuePosition, QueuePosition.conversation_id == QueuedConversation.conversation_id
        )
        .where(QueuedConversation.account_id == account_id, scope)
    )
    rows = [
        (row[0], row[1], row[2])
        for row in await session.execute(ordered(statement, _QUEUE_KEYS, page))
    ]
    return split_page_by(
        rows, page, lambda row: [row[0].priority, row[0].queued_at, row[0].conversation_id]
    )


async def visitor_and_position(
    session: AsyncSession, conversation_id: UUID
) -> tuple[UUID | None, int | None]:
    """The conversation's visitor and the position it was last told."""
    visitor = await session.scalar(
        select(Conversation.visitor_id).where(Conversation.id == conversation_id)
    )
    position = await session.scalar(
        select(QueuePosition.position).where(QueuePosition.conversation_id == conversation_id)
    )
    return visitor, position
