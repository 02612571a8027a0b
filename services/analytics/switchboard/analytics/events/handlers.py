"""Consumed events: every conversation and message counts toward its day."""

from uuid import UUID

from switchboard.analytics.domain.counting import increment_for
from switchboard.analytics.store import activity
from switchboard.core.bus import Handler
from switchboard.core.events import Envelope
from switchboard.core.outbox import first_delivery
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
