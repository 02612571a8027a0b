"""Consumed events: every conversation and message counts toward its day."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from switchboard.analytics.domain.counting import Increment, increment_for, summed
from switchboard.analytics.store import activity
from switchboard.contracts.chat import ConversationCreated, MessageCreated
from switchboard.core.bus import BatchHandler
from switchboard.core.events import Delivery, Envelope
from switchboard.core.handlers import Handlers
from switchboard.core.outbox import first_deliveries
from switchboard.core.runtime import Runtime

handlers = Handlers()


@handlers.on(ConversationCreated, MessageCreated)
async def count_one(runtime: Runtime, event: Delivery[Any]) -> None:
    await count(runtime, [event])


def build_batch_handler(runtime: Runtime) -> BatchHandler:
    """The events of one read in one transaction: one upsert per account and day."""

    async def handle_batch(envelopes: Sequence[Envelope]) -> None:
        deliveries = [handlers.delivery(envelope) for envelope in envelopes]
        await count(runtime, [event for event in deliveries if event is not None])

    return handle_batch


async def count(runtime: Runtime, events: Sequence[Delivery[Any]]) -> None:
    """Add the events handled for the first time to their days, in one transaction (the ids
    recorded with one statement, the batch form of ``unit_of_work(handling=...)``)."""
    assert runtime.processed is not None
    counted = [
        (event, increment)
        for event in events
        if (increment := increment_for(event.type, event.occurred_at)) is not None
    ]
    if not counted:
        return
    async with runtime.unit_of_work() as session:
        first = await first_deliveries(session, runtime.processed, [e.id for e, _ in counted])
        fresh: list[tuple[str, Increment]] = []
        for event, increment in counted:
            if event.id in first:  # a repeated id in one batch counts once
                first.discard(event.id)
                fresh.append((event.envelope.account_id, increment))
        for (account_id, _), increment in sorted(summed(fresh).items()):
            await activity.add(session, UUID(account_id), increment)
