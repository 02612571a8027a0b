"""Every gateway instance reads the push stream and hands each event to its own sockets."""

from __future__ import annotations

import asyncio

import structlog

from switchboard.core.loops import one_round
from switchboard.gateway.service.control import CONTROL_EVENTS, apply_control
from switchboard.gateway.service.hub import Hub
from switchboard.gateway.service.push_stream import PushStream

__all__ = ["Fanout"]

log = structlog.get_logger(__name__)


class Fanout:
    def __init__(
        self, push: PushStream, hub: Hub, *, block_ms: int = 1000, batch: int = 500
    ) -> None:
        self.push = push
        self.hub = hub
        self.block_ms = block_ms
        self.batch = batch
        self.cursor: str | None = None

    async def start(self) -> None:
        # Taken before the app serves: an event pushed after start-up is never skipped, which
        # reading from "$" on each call could do between two calls.
        try:
            self.cursor = await self.push.last_id()
        except Exception as exc:  # Redis is down: the loop takes the cursor once it is back
            log.warning("fanout_start_deferred", error=repr(exc))

    async def read_once(self) -> int:
        if self.cursor is None:
            self.cursor = await self.push.last_id()
        cursor, pushes = await self.push.read(self.cursor, count=self.batch, block_ms=self.block_ms)
        for entry_id, envelope in pushes:
            self.cursor = entry_id  # an event that breaks the delivery is not delivered again
            self.hub.deliver(entry_id, envelope)
            if envelope.type in CONTROL_EVENTS:
                apply_control(self.hub, envelope)
        self.cursor = cursor
        return len(pushes)

    async def run(self) -> None:
        while True:
            if not await one_round(self.read_once(), "fanout_read_failed"):
                await asyncio.sleep(0.5)
