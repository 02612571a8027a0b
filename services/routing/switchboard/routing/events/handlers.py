"""Consumed events: chat's inboxes, conversations (their priority too) and messages, the
gateway's presence, each model to its use case."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from switchboard.contracts.chat import (
    ConversationAssigned,
    ConversationCreated,
    ConversationPriorityChanged,
    ConversationStatusChanged,
    InboxCreated,
    MessageCreated,
)
from switchboard.contracts.gateway import PresenceChanged
from switchboard.core.bus import BatchHandler
from switchboard.core.events import Envelope
from switchboard.core.handlers import Handlers
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.service import intake
from switchboard.routing.assignment.service import queue as queue_service
from switchboard.routing.directory.service import memberships

handlers = Handlers()
handlers.on(InboxCreated)(memberships.record_inbox)
handlers.on(ConversationCreated)(intake.queue_conversation)
handlers.on(ConversationAssigned)(intake.record_assigned_elsewhere)
handlers.on(ConversationStatusChanged)(intake.change_status)
handlers.on(MessageCreated)(intake.record_reply)
handlers.on(PresenceChanged)(intake.record_presence)
handlers.on(ConversationPriorityChanged)(queue_service.follow_priority)


# New conversations handled side by side within one read: each holds a database connection.
_NEW_AT_ONCE = 8


def build_batch_handler(runtime: DatabaseRuntime) -> BatchHandler:
    """The entries of one read in order, except that consecutive new conversations are queued
    and routed side by side: while one conversation's transaction waits on the database, the
    next one's runs, instead of every conversation waiting for all those read before it.

    Two routing processes already handle entries of one stream at the same time (every step
    locks what it changes), so new conversations side by side in one process need nothing
    more. Everything else (status changes, presence) stays in stream order: a slot freed by
    a resolve goes to the oldest waiting conversation as before. When one fails, the consumer
    hands every entry of the read to ``handler`` one by one (each is idempotent by event id).
    """
    handle = handlers.handler(runtime)

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
            if event.is_a(ConversationCreated):
                run.append(event)
                continue
            if run:
                await side_by_side(run)
                run = []
            await handle(event)
        if run:
            await side_by_side(run)

    return handle_batch
