"""Use cases of conversations: open, list, read, change status, wake up, assign."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import structlog

from switchboard.chat.domain.status import (
    ConversationStatus,
    StatusChangeRefused,
    plan_status_change,
    wake_is_due,
)
from switchboard.chat.errors import ConversationNotFound, InboxNotFound, refused
from switchboard.chat.service import events
from switchboard.chat.service.access import conversation_view
from switchboard.chat.service.messages import Sender, append_message, checked_content
from switchboard.chat.store import conversations as store
from switchboard.chat.store import inboxes as inbox_store
from switchboard.chat.store import participants as participant_store
from switchboard.chat.store.conversations import (
    AssigneeFilter,
    ConversationView,
    ListedConversation,
)
from switchboard.chat.store.models import Conversation, new_id
from switchboard.contracts.routing import AssignmentCreated, AssignmentRemoved
from switchboard.core.auth import Principal
from switchboard.core.errors import Forbidden
from switchboard.core.events import Delivery, utcnow
from switchboard.core.pagination import PageQuery
from switchboard.core.runtime import Runtime

log = structlog.get_logger(__name__)

WAKE_JOB = "wake_conversation"


async def open_conversation(
    runtime: Runtime, *, visitor: Principal, content: str | None = None, origin: str | None = None
) -> ConversationView:
    """Open a conversation for a visitor, with its first message when ``content`` is given."""
    assert runtime.outbox is not None
    if visitor.inbox_id is None:
        raise Forbidden("the visitor token names no inbox")
    if content is not None:
        content = checked_content(runtime, content)
    now = utcnow()
    async with runtime.unit_of_work() as session:
        inbox = await inbox_store.get(session, visitor.account_id, visitor.inbox_id)
        if inbox is None:
            raise InboxNotFound()
        conversation = Conversation(
            id=new_id(),
            account_id=visitor.account_id,
            inbox_id=inbox.id,
            visitor_id=visitor.id,
            status=ConversationStatus.open.value,
            created_at=now,
            updated_at=now,
            last_message_at=now if content is not None else None,
            last_activity_at=now,
        )
        session.add(conversation)
        await session.flush()
        await runtime.outbox.add(session, events.conversation_created(conversation, origin=origin))
        if content is not None:
            await append_message(
                runtime,
                session,
                conversation,
                sender=Sender(type="visitor", id=visitor.id),
                content=content,
                private=False,
                client_message_id=None,
                origin=origin,
                now=now,
            )
    return ConversationView(conversation=conversation, assignee_name=None)


async def list_conversations(
    runtime: Runtime,
    *,
    account_id: UUID,
    status: ConversationStatus | None = None,
    assignee: AssigneeFilter = None,
    inbox_id: UUID | None = None,
    visitor_id: UUID | None = None,
    participant_id: UUID | None = None,
    visible_to: UUID | None = None,
    page: PageQuery,
) -> tuple[list[ListedConversation], str | None]:
    """A page of the account's conversations, most recent activity first.

    ``participant_id``: only those where that agent is a participant or monitor;
    ``visible_to``: only those that agent may see.
    """
    statement = store.list_statement(
        account_id,
        status=status.value if status is not None else None,
        assignee=assignee,
        inbox_id=inbox_id,
        visitor_id=visitor_id,
        participant_id=participant_id,
        visible_to=visible_to,
        page=page,
    )
    async with runtime.database.autocommit() as connection:
        return await store.page_of(connection, statement, page)


async def get_conversation(
    runtime: Runtime, *, account_id: UUID, conversation_id: UUID
) -> ConversationView:
    async with runtime.database.session() as session:
        return await conversation_view(session, account_id, conversation_id)


async def change_status(
    runtime: Runtime,
    *,
    account_id: UUID,
    conversation_id: UUID,
    status: ConversationStatus,
    snoozed_until: datetime | None = None,
    origin: str | None = None,
) -> ConversationView:
    """Move a conversation to ``status``; a snooze schedules its wake-up after the commit."""
    assert runtime.outbox is not None
    now = utcnow()
    async with runtime.unit_of_work() as session:
        view = await store.get_view(session, account_id, conversation_id, for_update=True)
        if view is None:
            raise ConversationNotFound()
        conversation = view.conversation
        try:
            change = plan_status_change(
                current=ConversationStatus(conversation.status),
                current_snoozed_until=conversation.snoozed_until,
                target=status,
                snoozed_until=snoozed_until,
                now=now,
            )
        except StatusChangeRefused as exc:
            raise refused(exc.refusal, exc.message) from exc
        conversation.status = change.status.value
        conversation.snoozed_until = change.snoozed_until
        conversation.updated_at = now
        await session.flush()
        envelope = events.status_changed(
            conversation,
            previous_status=change.previous_status.value,
            participants=await participant_store.agent_ids(session, conversation.id),
            origin=origin,
        )
        await runtime.outbox.add(session, envelope)
    if change.snoozed_until is not None:
        await schedule_wake(runtime, conversation)
    return view


async def schedule_wake(runtime: Runtime, conversation: Conversation) -> None:
    """Queue the wake-up of a snoozed conversation (the worker's sweep covers a lost one)."""
    until = conversation.snoozed_until
    assert until is not None
    if runtime.jobs is None:
        log.warning("wake_not_scheduled", conversation_id=str(conversation.id))
        return
    try:
        await runtime.jobs.enqueue_job(
            WAKE_JOB,
            str(conversation.account_id),
            str(conversation.id),
            until.isoformat(),
            _defer_until=until,
            _job_id=f"wake:{conversation.id}:{until.isoformat()}",
        )
    except Exception as exc:  # the sweep of overdue snoozes wakes it later
        log.warning("wake_schedule_failed", conversation_id=str(conversation.id), error=repr(exc))


async def wake_conversation(
    runtime: Runtime, *, account_id: UUID, conversation_id: UUID, scheduled_for: datetime
) -> bool:
    """Reopen a conversation still snoozed until ``scheduled_for``; True when it woke."""
    assert runtime.outbox is not None
    now = utcnow()
    async with runtime.unit_of_work() as session:
        conversation = await store.lock(session, account_id, conversation_id)
        if conversation is None or not wake_is_due(
            status=ConversationStatus(conversation.status),
            snoozed_until=conversation.snoozed_until,
            scheduled_for=scheduled_for,
        ):
            return False
        conversation.status = ConversationStatus.open.value
        conversation.snoozed_until = None
        conversation.updated_at = now
        await session.flush()
        envelope = events.status_changed(
            conversation,
            previous_status=ConversationStatus.snoozed.value,
            participants=await participant_store.agent_ids(session, conversation.id),
            origin=None,
        )
        await runtime.outbox.add(session, envelope)
    return True


async def wake_overdue_conversations(runtime: Runtime, *, grace_seconds: float = 60.0) -> int:
    """Wake snoozed conversations whose wake-up job was lost; returns how many woke."""
    async with runtime.database.session() as session:
        overdue = await store.overdue_snoozes(session, grace_seconds=grace_seconds)
    woken = 0
    for account_id, conversation_id, until in overdue:
        if await wake_conversation(
            runtime, account_id=account_id, conversation_id=conversation_id, scheduled_for=until
        ):
            woken += 1
    return woken


async def apply_assignment(runtime: Runtime, event: Delivery[AssignmentCreated]) -> None:
    """Record routing's assignment; publishes ``conversation.assigned`` when it changed.

    ``previous_agent_id`` (who routing took it from) hears of it too, with the previous
    assignee chat knew of.
    """
    assert runtime.outbox is not None
    assignment = event.data
    async with runtime.unit_of_work(handling=event) as session:
        conversation = await store.lock(session, event.account_id, assignment.conversation_id)
        if conversation is None or conversation.assignee_id == assignment.agent_id:
            return
        previous = conversation.assignee_id
        conversation.assignee_id = assignment.agent_id
        conversation.updated_at = utcnow()
        await session.flush()
        also = [assignment.previous_agent_id] if assignment.previous_agent_id is not None else []
        envelope = events.conversation_assigned(
            conversation,
            previous_assignee_id=previous,
            participants=await participant_store.agent_ids(session, conversation.id),
            reason=assignment.reason,
            also=also,
            origin=event.origin,
        )
        await runtime.outbox.add(session, envelope)


async def remove_assignment(runtime: Runtime, event: Delivery[AssignmentRemoved]) -> None:
    """Routing took the conversation from its agent (back to the queue).

    Only the current assignee can be removed: a late removal of an earlier one changes nothing.
    Publishes ``conversation.assigned`` with ``assignee_id`` null.
    """
    assert runtime.outbox is not None
    removal = event.data
    async with runtime.unit_of_work(handling=event) as session:
        conversation = await store.lock(session, event.account_id, removal.conversation_id)
        if conversation is None or conversation.assignee_id != removal.agent_id:
            return
        conversation.assignee_id = None
        conversation.updated_at = utcnow()
        await session.flush()
        envelope = events.conversation_assigned(
            conversation,
            previous_assignee_id=removal.agent_id,
            participants=await participant_store.agent_ids(session, conversation.id),
            reason=removal.reason,
            origin=event.origin,
        )
        await runtime.outbox.add(session, envelope)
