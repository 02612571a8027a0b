"""What waits in the queue, as the caller may take it; and its priorities, which follow
chat's (the one source: ``conversation.priority_changed``)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import ColumnElement, true

from switchboard.contracts.chat import ConversationPriorityChanged
from switchboard.contracts.values import ConversationPriority
from switchboard.core.auth import Principal, Role
from switchboard.core.events import Delivery
from switchboard.core.pagination import PageQuery, Rows
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.service.positions import refresh_positions
from switchboard.routing.assignment.store import queue
from switchboard.routing.directory.store import teams as team_store
from switchboard.routing.errors import NotQueued, found
from switchboard.routing.service import events
from switchboard.routing.store import conversations
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
    runtime: DatabaseRuntime,
    *,
    supervisor: Principal,
    conversation_id: UUID,
    priority: ConversationPriority,
) -> QueueItem:
    """Move a waiting conversation up (or down) the queue at once, and hand the priority to
    chat (``queue.priority_set``), whose column is the one source: its
    ``conversation.priority_changed`` comes back and changes nothing more."""
    account_id = supervisor.account_id
    async with runtime.work() as work:
        session = work.session
        conversation = await conversations.lock(session, account_id, conversation_id)
        queued = found(await queue.get(session, account_id, conversation_id, lock=True), NotQueued)
        queued.priority = priority.rank
        if conversation is not None:
            conversation.priority = priority.rank
        inbox_id = queued.inbox_id
        await work.publish(
            events.queue_priority_set(
                account_id=account_id,
                conversation_id=conversation_id,
                priority=priority,
                by_agent_id=supervisor.id,
            )
        )
    await refresh_positions(runtime, account_id=account_id, inbox_ids=[inbox_id])
    async with runtime.db.session() as session:
        visitor, position = await queue.visitor_and_position(session, conversation_id)
    return QueueItem(queued, visitor, position)


async def follow_priority(
    runtime: DatabaseRuntime, event: Delivery[ConversationPriorityChanged]
) -> None:
    """Chat's priority changed: the conversation keeps its rank (a later wait takes it) and
    its queued row, if it waits, moves to its place in the drain order."""
    account_id, change = event.account_id, event.data
    rank = ConversationPriority(change.priority).rank
    inbox_id = None
    async with runtime.work(handling=event) as work:
        session = work.session
        conversation = await conversations.lock(session, account_id, change.conversation_id)
        if conversation is None:  # chat's conversation.created comes first on its stream
            return
        conversation.priority = rank
        queued = await queue.get(session, account_id, change.conversation_id, lock=True)
        if queued is not None and queued.priority != rank:
            queued.priority = rank
            inbox_id = queued.inbox_id
    if inbox_id is not None:
        await refresh_positions(runtime, account_id=account_id, inbox_ids=[inbox_id])
