"""What waits in the queue, as the caller may take it; and supervisors' priorities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.auth import Principal, Role
from switchboard.core.errors import InvalidCursor
from switchboard.core.runtime import Runtime
from switchboard.routing.assignment.service.positions import refresh_positions
from switchboard.routing.assignment.store import queue
from switchboard.routing.assignment.store.cursors import decode_keys, encode_keys
from switchboard.routing.directory.store import teams as team_store
from switchboard.routing.errors import NotQueued
from switchboard.routing.store.models import Conversation, QueuedConversation, QueuePosition


@dataclass(frozen=True)
class QueueItem:
    queued: QueuedConversation
    visitor_id: UUID | None
    position: int | None


async def list_queue(
    session: AsyncSession, *, caller: Principal, cursor: str | None, limit: int
) -> tuple[list[QueueItem], str | None]:
    """Supervisors and admins see the account's whole queue; an agent sees the conversations
    it may take (its inboxes, its teams and the teams falling back to them). Priority first,
    then the longest waiting."""
    where: ColumnElement[bool] = true()
    if not caller.at_least(Role.supervisor):
        teams = await team_store.served_teams(session, caller.id)
        inboxes = await team_store.served_inboxes(session, caller.id, teams)
        where = queue.in_scope(inboxes, teams)
    if cursor is not None:
        keys = decode_keys(cursor)
        try:
            priority, at, after_id = int(keys[0]), datetime.fromisoformat(keys[1]), UUID(keys[2])
        except (IndexError, TypeError, ValueError) as exc:
            raise InvalidCursor() from exc
        q = QueuedConversation
        where = and_(
            where,
            or_(
                q.priority < priority,
                and_(q.priority == priority, q.queued_at > at),
                and_(q.priority == priority, q.queued_at == at, q.conversation_id > after_id),
            ),
        )
    statement = (
        select(QueuedConversation, Conversation.visitor_id, QueuePosition.position)
        .outerjoin(Conversation, Conversation.id == QueuedConversation.conversation_id)
        .outerjoin(
            QueuePosition, QueuePosition.conversation_id == QueuedConversation.conversation_id
        )
        .where(QueuedConversation.account_id == caller.account_id, where)
        .order_by(*queue.QUEUE_ORDER)
        .limit(limit + 1)
    )
    rows = [QueueItem(row[0], row[1], row[2]) for row in await session.execute(statement)]
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more:
        last = rows[-1].queued
        next_cursor = encode_keys(
            [last.priority, last.queued_at.isoformat(), str(last.conversation_id)]
        )
    return rows, next_cursor


async def set_priority(
    runtime: Runtime, *, account_id: UUID, conversation_id: UUID, priority: int
) -> QueueItem:
    """Move a waiting conversation up (or down) the queue; its inbox learns the new order."""
    async with runtime.unit_of_work() as session:
        queued = await queue.get(session, account_id, conversation_id, lock=True)
        if queued is None:
            raise NotQueued()
        queued.priority = priority
        inbox_id = queued.inbox_id
    await refresh_positions(runtime, account_id=account_id, inbox_ids=[inbox_id])
    async with runtime.database.session() as session:
        visitor = await session.scalar(
            select(Conversation.visitor_id).where(Conversation.id == conversation_id)
        )
        position = await session.scalar(
            select(QueuePosition.position).where(QueuePosition.conversation_id == conversation_id)
        )
    return QueueItem(queued, visitor, position)
