"""Every gateway instance reads the push stream and hands each event to its own sockets."""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from redis.asyncio import Redis

from switchboard.core.bus import Bus
from switchboard.gateway.service.control import CONTROL_EVENTS, apply_control
from switchboard.gateway.service.hub import Hub

__all__ = ["Fanout", "last_entry_id"]

log = structlog.get_logger(__name__)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def last_entry_id(redis: Redis, stream: str) -> str:
    """The id of the newest entry (``0-0`` for an empty stream): read strictly after it."""
    newest = await redis.xrevrange(stream, max="+", min="-", count=1)
    return _text(newest[0][0]) if newest else "0-0"


class Fanout:
    def __init__(
        self, bus: Bus, stream: str, hub: Hub, *, block_ms: int = 1000, batch: int = 500
    ) -> None:
        self.bus = bus
        self.stream = stream
        self.hub = hub
        self.block_ms = block_ms
        self.batch = batch
        self.cursor: str | None = None

    async def start(self) -> None:
        # Taken before the app serves: an event pushed after start-up is never skipped, which
        # reading from "$" on each call could do between two calls.
        try:
            self.cursor = await last_entry_id(self.bus.redis, self.stream)
        except Exception as exc:  # Redis is down: the loop takes the cursor once it is back
            log.warning("fanout_start_deferred", error=repr(exc))

    async def read_once(self) -> int:
        if self.cursor is None:
            self.cursor = await last_entry_id(self.bus.redis, self.stream)
        response = await self.bus.redis.xread(
            {self.stream: self.cursor}, count=self.batch, block=self.block_ms
        )
        count = 0
        for stream, entries in response or []:
            for entry_id, fields in entries:
                self.cursor = _text(entry_id)
                count += 1
                try:
                    entry = Bus.decode_entry(_text(stream), entry_id, fields)
                except Exception as exc:
                    log.warning("push_entry_undecodable", entry_id=self.cursor, error=repr(exc))
                    continue
                self.hub.deliver(entry.entry_id, entry.envelope)
                if entry.envelope.type in CONTROL_EVENTS:
                    apply_control(self.hub, entry.envelope)
        return count

    async def run(self) -> None:
        while True:
            try:
                await self.read_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("fanout_read_failed", error=repr(exc))
                await asyncio.sleep(0.5)
