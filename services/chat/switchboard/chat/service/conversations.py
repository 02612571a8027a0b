"""Use cases of conversations: open, read, change status, wake up, assign."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.domain import system_messages as wording
from switchboard.chat.domain.status import (
    ConversationStatus,
    StatusChangeRefused,
    plan_status_change,
    wake_is_due,
)
from switchboard.chat.errors import ConversationNotFound, InboxNotFound, refused
from switchboard.chat.notifications.service import floor as floor_notifications
from switchboard.chat.service import events
from switchboard.chat.service.access import conversation_view
from switchboard.chat.service.messages import (
    Sender,
    append_message,
    append_system_message,
    checked_content,
)
from switchboard.chat.store import agents as agent_store
from switchboard.chat.store import conversations as store
from switchboard.chat.store import inboxes as inbox_store
from switchboard.chat.store import participants as participant_store
from switchboard.chat.store.conversations import ConversationView
from switchboard.chat.store.models import Conversation, new_id
from switchboard.contracts.routing import AssignmentCreated, AssignmentRemoved
from switchboard.core.auth import Principal
from switchboard.core.errors import Forbidden
from switchboard.core.events import Delivery, utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.work import UnitOfWork
from switchboard.core.worker import job_runtime


async def open_conversation(
    runtime: DatabaseRuntime,
    *,
    visitor: Principal,
    content: str | None = None,
    origin: str | None = None,
) -> ConversationView:
    """Open a conversation for a visitor, with its first message when ``content`` is given."""
    if visitor.inbox_id is None:
        raise Forbidden("the visitor token names no inbox")
    if content is not None:
        content = checked_content(runtime, content)
    now = utcnow()
    async with runtime.work() as work:
        session = work.session
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
        await work.publish(events.conversation_created(conversation, origin=origin))
        if content is not None:
            await append_message(
                work,
                conversation,
                sender=Sender(type="visitor", id=visitor.id),
                content=content,
                private=False,
                client_message_id=None,
                origin=origin,
                now=now,
            )
    return ConversationView(conversation=conversation, assignee_name=None)


async def get_conversation(
    runtime: DatabaseRuntime, *, account_id: UUID, conversation_id: UUID
) -> ConversationView:
    async with runtime.db.session() as session:
        return await conversation_view(session, account_id, conversation_id)


async def change_status(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    conversation_id: UUID,
    status: ConversationStatus,
    by: UUID,
    snoozed_until: datetime | None = None,
    origin: str | None = None,
) -> ConversationView:
    """Move a conversation to ``status`` as the agent ``by`` (a history line says who); a
    snooze schedules its wake-up after the commit."""
    now = utcnow()
    async with runtime.work() as work:
        session = work.session
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
        await _set_status(
            work,
            conversation,
            change.status,
            snoozed_until=change.snoozed_until,
            at=now,
            by=by,
            origin=origin,
        )
        if change.snoozed_until is not None:
            schedule_wake(work, conversation, change.snoozed_until)
    return view


async def _set_status(
    work: UnitOfWork,
    conversation: Conversation,
    status: ConversationStatus,
    *,
    snoozed_until: datetime | None,
    at: datetime,
    by: UUID | None,
    origin: str | None,
) -> None:
    """Write the conversation's new status, its history line (who did it, or the snooze that
    ran out: ``by`` None) and ``conversation.status_changed``: one change, whether a person
    asked for it or a snooze ran out."""
    previous_status = conversation.status
    conversation.status = status.value
    conversation.snoozed_until = snoozed_until
    conversation.updated_at = at
    await work.session.flush()
    if by is None:
        line = wording.snooze_ended()
    else:
        names = await agent_store.names(work.session, conversation.account_id, [by])
        line = wording.status_changed(
            by=wording.AgentRef(names.get(by)), status=status, previous_status=previous_status
        )
    await append_system_message(work, conversation, content=line, now=at)
    envelope = events.status_changed(
        conversation,
        previous_status=previous_status,
        participants=await participant_store.agent_ids(work.session, conversation.id),
        changed_by=by,
        origin=origin,
    )
    await work.publish(envelope)


def schedule_wake(work: UnitOfWork, conversation: Conversation, until: datetime) -> None:
    """Queue the wake-up of a snoozed conversation after the commit (the worker's sweep
    covers a lost one)."""
    work.later(
        wake_conversation_job,
        str(conversation.account_id),
        str(conversation.id),
        until.isoformat(),
        at=until,
        job_id=f"wake:{conversation.id}:{until.isoformat()}",
    )


async def wake_conversation(
    runtime: DatabaseRuntime, *, account_id: UUID, conversation_id: UUID, scheduled_for: datetime
) -> bool:
    """Reopen a conversation still snoozed until ``scheduled_for``; True when it woke."""
    now = utcnow()
    async with runtime.work() as work:
        session = work.session
        conversation = await store.lock(session, account_id, conversation_id)
        if conversation is None or not wake_is_due(
            status=ConversationStatus(conversation.status),
            snoozed_until=conversation.snoozed_until,
            scheduled_for=scheduled_for,
        ):
            return False
        await _set_status(
            work,
            conversation,
            ConversationStatus.open,
            snoozed_until=None,
            at=now,
            by=None,
            origin=None,
        )
    return True


async def wake_conversation_job(
    ctx: dict[str, Any], account_id: str, conversation_id: str, snoozed_until: str
) -> bool:
    """The job at a snooze's end (arq): reopen the conversation if it is still snoozed until
    that time."""
    return await wake_conversation(
        job_runtime(ctx),
        account_id=UUID(account_id),
        conversation_id=UUID(conversation_id),
        scheduled_for=datetime.fromisoformat(snoozed_until),
    )


async def wake_overdue_conversations(
    runtime: DatabaseRuntime, *, grace_seconds: float = 60.0
) -> int:
    """Wake snoozed conversations whose wake-up job was lost; returns how many woke."""
    async with runtime.db.session() as session:
        overdue = await store.overdue_snoozes(session, grace_seconds=grace_seconds)
    woken = 0
    for account_id, conversation_id, until in overdue:
        if await wake_conversation(
            runtime, account_id=account_id, conversation_id=conversation_id, scheduled_for=until
        ):
            woken += 1
    return woken


async def apply_assignment(runtime: DatabaseRuntime, event: Delivery[AssignmentCreated]) -> None:
    """Record routing's assignment; publishes ``conversation.assigned`` when it changed.

    ``previous_agent_id`` (who routing took it from) hears of it too, with the previous
    assignee chat knew of.
    """
    assignment = event.data
    async with runtime.work(handling=event) as work:
        session = work.session
        conversation = await store.lock(session, event.account_id, assignment.conversation_id)
        if conversation is None or conversation.assignee_id == assignment.agent_id:
            return
        previous = conversation.assignee_id
        conversation.assignee_id = assignment.agent_id
        conversation.updated_at = now = utcnow()
        await session.flush()
        await append_system_message(
            work, conversation, content=await _assigned_line(session, event), now=now
        )
        also = [assignment.previous_agent_id] if assignment.previous_agent_id is not None else []
        envelope = events.conversation_assigned(
            conversation,
            previous_assignee_id=previous,
            participants=await participant_store.agent_ids(session, conversation.id),
            reason=assignment.reason,
            also=also,
            origin=event.origin,
        )
        await work.publish(envelope)
        await floor_notifications.assigned(work, event.account_id, assignment)


async def remove_assignment(runtime: DatabaseRuntime, event: Delivery[AssignmentRemoved]) -> None:
    """Routing took the conversation from its agent (back to the queue).

    Only the current assignee can be removed: a late removal of an earlier one changes nothing.
    Publishes ``conversation.assigned`` with ``assignee_id`` null.
    """
    removal = event.data
    async with runtime.work(handling=event) as work:
        session = work.session
        conversation = await store.lock(session, event.account_id, removal.conversation_id)
        if conversation is None or conversation.assignee_id != removal.agent_id:
            return
        conversation.assignee_id = None
        conversation.updated_at = now = utcnow()
        await session.flush()
        names = await agent_store.names(session, event.account_id, [removal.agent_id])
        line = wording.unassigned(wording.AgentRef(names.get(removal.agent_id)))
        await append_system_message(
            work, conversation, content=line, about=[removal.agent_id], now=now
        )
        envelope = events.conversation_assigned(
            conversation,
            previous_assignee_id=removal.agent_id,
            participants=await participant_store.agent_ids(session, conversation.id),
            reason=removal.reason,
            origin=event.origin,
        )
        await work.publish(envelope)


async def _assigned_line(session: AsyncSession, event: Delivery[AssignmentCreated]) -> str:
    """The history line of an assignment: to whom, and by whom when routing says so."""
    assignment = event.data
    agent, by = assignment.agent_id, assignment.by_agent_id
    names = await agent_store.names(session, event.account_id, [agent, *([by] if by else [])])
    return wording.assigned(
        agent=wording.AgentRef(names.get(agent)),
        by=wording.AgentRef(names.get(by)) if by is not None else None,
        by_self=by == agent,
    )
