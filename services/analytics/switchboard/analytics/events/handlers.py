"""Consumed events: every conversation and message counts toward its day."""

from collections.abc import Sequence
from uuid import UUID

from switchboard.analytics.domain.counting import Increment, increment_for, summed
from switchboard.analytics.store import activity
from switchboard.core.bus import BatchHandler, Handler
from switchboard.core.events import Envelope
from switchboard.core.outbox import first_deliveries, first_delivery
from switchboard.core.runtime import Runtime


def build_handler(runtime: Runtime) -> Handler:
    assert runtime.processed is not None
    processed = runtime.processed

    async def handle(event: Envelope) -> None:
        increment = increment_for(event.type, event.occurred_at)
        if increment is None:
            return
        async with runtime.unit_of_work() as session:
            if await first_delivery(session, processed, event.id):
                await activity.add(session, UUID(event.account_id), increment)

    return handle


def build_batch_handler(runtime: Runtime) -> BatchHandler:
    """The events of one read in one transaction: one upsert per account and day."""
    assert runtime.processed is not None
    processed = runtime.processed

    async def handle_batch(events: Sequence[Envelope]) -> None:
        counted: list[tuple[str, str, Increment]] = []
        for event in events:
            increment = increment_for(event.type, event.occurred_at)
            if increment is not None:
                counted.append((event.id, event.account_id, increment))
        if not counted:
            return
        async with runtime.unit_of_work() as session:
            first = await first_deliveries(session, processed, [c[0] for c in counted])
            fresh: list[tuple[str, Increment]] = []
            for event_id, account_id, increment in counted:
                if event_id in first:  # a repeated id in one batch counts once
                    first.discard(event_id)
                    fresh.append((account_id, increment))
            for (account_id, _), increment in sorted(summed(fresh).items()):
                await activity.add(session, UUID(account_id), increment)

    return handle_batch
