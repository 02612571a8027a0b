"""Consumed events: chat's inboxes, conversations and messages, the gateway's presence."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from uuid import UUID

from switchboard.core.bus import BatchHandler, Handler
from switchboard.core.events import Envelope
from switchboard.core.runtime import Runtime
from switchboard.routing.service import intake, memberships


def _uuid(value: object) -> UUID | None:
    return UUID(str(value)) if value else None


def build_handler(runtime: Runtime) -> Handler:
    async def inbox_created(event: Envelope) -> None:
        await memberships.record_inbox(
            runtime,
            event_id=event.id,
            account_id=UUID(event.account_id),
            inbox_id=UUID(event.data["inbox_id"]),
            name=str(event.data.get("name") or ""),
        )

    async def conversation_created(event: Envelope) -> None:
        conversation = event.data["conversation"]
        if conversation.get("assignee_id"):
            return
        await intake.queue_conversation(
            runtime,
            event_id=event.id,
            account_id=UUID(event.account_id),
            conversation_id=UUID(conversation["id"]),
            inbox_id=UUID(conversation["inbox_id"]),
            queued_at=event.occurred_at,
            visitor_id=_uuid(conversation.get("visitor_id")),
            status=str(conversation.get("status") or "open"),
        )

    async def conversation_assigned(event: Envelope) -> None:
        assignee_id = _uuid(event.data.get("assignee_id"))
        if assignee_id is None:
            return
        await intake.record_assigned_elsewhere(
            runtime,
            event_id=event.id,
            account_id=UUID(event.account_id),
            conversation_id=UUID(event.data["conversation_id"]),
            inbox_id=UUID(event.data["inbox_id"]),
            assignee_id=assignee_id,
        )

    async def conversation_status_changed(event: Envelope) -> None:
        await intake.change_status(
            runtime,
            event_id=event.id,
            account_id=UUID(event.account_id),
            conversation_id=UUID(event.data["conversation_id"]),
            inbox_id=UUID(event.data["inbox_id"]),
            status=str(event.data["status"]),
            at=event.occurred_at,
        )

    async def message_created(event: Envelope) -> None:
        data = event.data
        sender_id = _uuid(data.get("sender_id"))
        if data.get("sender_type") != "agent" or data.get("private") or sender_id is None:
            return
        await intake.record_reply(
            runtime, conversation_id=UUID(data["conversation_id"]), sender_id=sender_id
        )

    async def presence_changed(event: Envelope) -> None:
        await intake.record_presence(
            runtime,
            event_id=event.id,
            account_id=UUID(event.account_id),
            agent_id=UUID(event.data["agent_id"]),
            online=bool(event.data["online"]),
            at=event.occurred_at,
        )

    handlers: dict[str, Callable[[Envelope], Awaitable[None]]] = {
        "inbox.created": inbox_created,
        "conversation.created": conversation_created,
        "conversation.assigned": conversation_assigned,
        "conversation.status_changed": conversation_status_changed,
        "message.created": message_created,
        "presence.changed": presence_changed,
    }

    async def handle(event: Envelope) -> None:
        handler = handlers.get(event.type)
        if handler is not None:
            await handler(event)

    return handle


# New conversations handled side by side within one read: each holds a database connection.
_NEW_AT_ONCE = 8


def build_batch_handler(runtime: Runtime) -> BatchHandler:
    """The entries of one read in order, except that consecutive new conversations are queued
    and routed side by side: while one conversation's transaction waits on the database, the
    next one's runs, instead of every conversation waiting for all those read before it.

    Two routing processes already handle entries of one stream at the same time (every step
    locks what it changes), so new conversations side by side in one process need nothing
    more. Everything else (status changes, presence) stays in stream order: a slot freed by
    a resolve goes to the oldest waiting conversation as before. When one fails, the consumer
    hands every entry of the read to ``handler`` one by one (each is idempotent by event id).
    """
    handle = build_handler(runtime)

    async def side_by_side(events: list[Envelope]) -> None:
        # Each a conversation of its own (a conversation is created once).
        gate = asyncio.Semaphore(_NEW_AT_ONCE)

        async def gated(event: Envelope) -> None:
            async with gate:
                await handle(event)

        outcomes = await asyncio.gather(*map(gated, events), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    async def handle_batch(events: Sequence[Envelope]) -> None:
        run: list[Envelope] = []
        for event in events:
            if event.type == "conversation.created":
                run.append(event)
                continue
            if run:
                await side_by_side(run)
                run = []
            await handle(event)
        if run:
            await side_by_side(run)

    return handle_batch
