"""What waits in the queue, as the caller may take it; and supervisors' priorities."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import ColumnElement, true

from switchboard.core.auth import Principal, Role
from switchboard.core.pagination import PageQuery, Rows
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.service.positions import refresh_positions
from switchboard.routing.assignment.store import queue
from switchboard.routing.directory.store import teams as team_store
from switchboard.routing.errors import NotQueued, found
from switchboard.routing.store.models import QueuedConversation


@dataclass(frozen=True)
class QueueItem:
    queued: QueuedConversation
    visitor_id: UUID | None
    position: int | None


async def list_queue(
    runtime: DatabaseRuntime, *, caller: Principal, page: PageQuery
) -> Rows[QueueItem]:
    """Supervisors and admins see the account's whole queue; an agent sees the conversations
    it may take (its inboxes, its teams and the teams falling back to them). Priority first,
    then the longest waiting."""
    async with runtime.db.session() as session:
        scope: ColumnElement[bool] = true()
        if not caller.at_least(Role.supervisor):
            teams = await team_store.served_teams(session, caller.id)
            inboxes = await team_store.served_inboxes(session, caller.id, teams)
            scope = queue.in_scope(inboxes, teams)
        rows = await queue.page(session, caller.account_id, scope, page)
    return rows.map(lambda row: QueueItem(*row))


async def set_priority(
    runtime: DatabaseRuntime, *, account_id: UUID, conversation_id: UUID, priority: int
) -> QueueItem:
    """Move a waiting conversation up (or down) the queue; its inbox learns the new order."""
    async with runtime.work() as work:
        session = work.session
        queued = found(await queue.get(session, account_id, conversation_id, lock=True), NotQueued)
        queued.priority = priority
        inbox_id = queued.inbox_id
    await refresh_positions(runtime, account_id=account_id, inbox_ids=[inbox_id])
    async with runtime.db.session() as session:
        visitor, position = await queue.visitor_and_position(session, conversation_id)
    return QueueItem(queued, visitor, position)
