"""Consumed events: every conversation and message counts toward its day."""

from collections.abc import Sequence
from typing import Any

from switchboard.analytics.service.activity import count
from switchboard.contracts.chat import ConversationCreated, MessageCreated
from switchboard.core.bus import BatchHandler
from switchboard.core.events import Delivery, Envelope
from switchboard.core.handlers import Handlers
from switchboard.core.runtime import DatabaseRuntime

handlers = Handlers()


@handlers.on(ConversationCreated, MessageCreated)
async def count_one(runtime: DatabaseRuntime, event: Delivery[Any]) -> None:
    await count(runtime, [event])


def build_batch_handler(runtime: DatabaseRuntime) -> BatchHandler:
    """The events of one read in one transaction: one upsert per account and day."""

    async def handle_batch(envelopes: Sequence[Envelope]) -> None:
        deliveries = [handlers.delivery(envelope) for envelope in envelopes]
        await count(runtime, [event for event in deliveries if event is not None])

    return handle_batch
