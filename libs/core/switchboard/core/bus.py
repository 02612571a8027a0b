"""The Redis Streams bus: one stream per producing service, a consumer group per consumer.

Delivery is at least once. A consumer acknowledges an entry after its handler committed; an
entry left pending (handler failed, consumer died) is reclaimed after ``reclaim_idle_ms`` by any
consumer of the group, and after ``max_deliveries`` attempts it moves to the dead-letter stream
with its last error.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import structlog
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from switchboard.core.events import Envelope, utcnow

__all__ = ["BatchHandler", "Bus", "Consumer", "Handler", "StreamEntry"]

log = structlog.get_logger(__name__)

Handler = Callable[[Envelope], Awaitable[None]]
# Handles every envelope of a read in one go (one transaction); raising means none is handled.
BatchHandler = Callable[[Sequence[Envelope]], Awaitable[None]]
_FIELD = b"e"


@dataclass(frozen=True)
class StreamEntry:
    stream: str
    entry_id: str
    envelope: Envelope


class Bus:
    """Publishes envelopes and names the keys of the stream family.

    All keys share the hash tag ``{prefix}`` so one Redis Cluster slot holds the family.
    """

    def __init__(self, redis: Redis, *, prefix: str, maxlen: int = 100_000) -> None:
        self.redis = redis
        self.prefix = prefix
        self.maxlen = maxlen

    def key(self, name: str) -> str:
        return f"{{{self.prefix}}}:{name}"

    def stream(self, service: str) -> str:
        return self.key(f"stream:{service}")

    @property
    def dead_letter_stream(self) -> str:
        return self.key("stream:dead-letter")

    async def publish(self, service: str, envelope: Envelope) -> str:
        entry_id = await self.redis.xadd(
            self.stream(service), {_FIELD: envelope.encode()}, maxlen=self.maxlen, approximate=True
        )
        return _text(entry_id)

    async def publish_many(self, service: str, envelopes: Sequence[Envelope]) -> list[str]:
        if not envelopes:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for envelope in envelopes:
                pipe.xadd(
                    self.stream(service),
                    {_FIELD: envelope.encode()},
                    maxlen=self.maxlen,
                    approximate=True,
                )
            ids = await pipe.execute()
        return [_text(entry_id) for entry_id in ids]

    @staticmethod
    def decode_entry(stream: str, entry_id: Any, fields: dict[Any, Any]) -> StreamEntry:
        raw = fields.get(_FIELD) or fields.get("e")
        if raw is None:
            raise ValueError("stream entry has no envelope field")
        return StreamEntry(stream=stream, entry_id=_text(entry_id), envelope=Envelope.decode(raw))


class Consumer:
    """Reads the streams of ``sources`` in consumer group ``group`` and calls ``handler``."""

    def __init__(
        self,
        bus: Bus,
        *,
        group: str,
        name: str,
        sources: Sequence[str],
        handler: Handler,
        block_ms: int = 1000,
        batch: int = 100,
        reclaim_idle_ms: int = 15_000,
        reclaim_interval_seconds: float = 5.0,
        max_deliveries: int = 5,
        batch_handler: BatchHandler | None = None,
        linger_ms: int = 0,
    ) -> None:
        """``batch_handler``: optional; new entries read together go to it at once (acked
        together after it returns), and ``handler`` takes them one by one when it fails and
        for reclaimed entries, so errors, retries and dead-lettering stay per entry.
        ``linger_ms``: after a read that was not full, wait this long before the next one, so
        a consumer that is not in a hurry reads (and handles) bigger batches."""
        self.bus = bus
        self.batch_handler = batch_handler
        self.linger_ms = linger_ms
        self.group = group
        self.name = name
        self.streams = [bus.stream(source) for source in sources]
        self.handler = handler
        self.block_ms = block_ms
        self.batch = batch
        self.reclaim_idle_ms = reclaim_idle_ms
        self.reclaim_interval_seconds = reclaim_interval_seconds
        self.max_deliveries = max_deliveries

    @property
    def _errors_key(self) -> str:
        return self.bus.key(f"errors:{self.group}")

    async def ensure_groups(self) -> None:
        for stream in self.streams:
            with contextlib.suppress(ResponseError):  # BUSYGROUP: it already exists
                await self.bus.redis.xgroup_create(stream, self.group, id="0", mkstream=True)

    async def run(self) -> None:
        """Read, handle and reclaim until cancelled, through Redis outages: the loop waits and
        goes on, and recreates the consumer groups when Redis comes back without them (a
        restart without persistence); the groups start at the stream's first entry, so what
        was published since the restart is read."""
        loop = asyncio.get_running_loop()
        next_reclaim = 0.0
        groups_exist = False
        failing = False  # said once per outage, not twice a second
        while True:
            try:
                if not groups_exist:
                    await self.ensure_groups()
                    groups_exist = True
                if loop.time() >= next_reclaim:
                    await self.reclaim_once()
                    next_reclaim = loop.time() + self.reclaim_interval_seconds
                read = await self.read_once()
                if failing:
                    log.info("consumer_loop_recovered", group=self.group)
                    failing = False
                if self.linger_ms and 0 < read < self.batch:
                    await asyncio.sleep(self.linger_ms / 1000)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if _no_group(exc):
                    log.warning("consumer_group_missing", group=self.group, error=str(exc))
                    groups_exist = False
                    continue
                if not failing:  # Redis gone for a moment: wait and go on
                    log.warning("consumer_loop_error", group=self.group, error=repr(exc))
                    failing = True
                await asyncio.sleep(0.5)

    async def read_once(self, block_ms: int | None = None) -> int:
        """Handle one batch of new entries; returns how many were read."""
        response = await self.bus.redis.xreadgroup(
            self.group,
            self.name,
            dict.fromkeys(self.streams, ">"),
            count=self.batch,
            block=self.block_ms if block_ms is None else block_ms,
        )
        count = 0
        for stream, entries in response or []:
            count += len(entries)
            if self.batch_handler is not None and len(entries) > 1:
                await self._process_batch(_text(stream), entries)
                continue
            for entry_id, fields in entries:
                await self._process(_text(stream), entry_id, fields)
        return count

    async def _process_batch(self, stream: str, entries: list[tuple[Any, Any]]) -> None:
        assert self.batch_handler is not None
        decoded: list[tuple[StreamEntry, Any]] = []
        for entry_id, fields in entries:
            try:
                decoded.append((Bus.decode_entry(stream, entry_id, fields), fields))
            except Exception:
                await self._process(stream, entry_id, fields)  # records and dead-letters it
        if not decoded:
            return
        try:
            await self.batch_handler([entry.envelope for entry, _ in decoded])
        except Exception as exc:
            log.warning("event_batch_failed", group=self.group, count=len(decoded), error=repr(exc))
            for entry, fields in decoded:  # one by one: errors and retries stay per entry
                await self._process(stream, entry.entry_id, fields)
            return
        await self.bus.redis.xack(stream, self.group, *[entry.entry_id for entry, _ in decoded])

    async def reclaim_once(self) -> int:
        """Take over entries idle longer than ``reclaim_idle_ms``; returns how many were handled."""
        handled = 0
        for stream in self.streams:
            pending = await self.bus.redis.xpending_range(
                stream, self.group, min="-", max="+", count=self.batch, idle=self.reclaim_idle_ms
            )
            for item in pending:
                entry_id = _text(item["message_id"])
                if item["times_delivered"] >= self.max_deliveries:
                    await self._dead_letter(stream, entry_id, item["times_delivered"])
                    continue
                claimed = await self.bus.redis.xclaim(
                    stream, self.group, self.name, self.reclaim_idle_ms, [entry_id]
                )
                for claimed_id, fields in claimed:
                    if fields:
                        handled += 1
                        await self._process(stream, claimed_id, fields)
        return handled

    async def _process(self, stream: str, entry_id: Any, fields: dict[Any, Any]) -> None:
        entry_id = _text(entry_id)
        try:
            entry = Bus.decode_entry(stream, entry_id, fields)
        except Exception as exc:
            await self._record_error(entry_id, f"undecodable entry: {exc!r}")
            await self._dead_letter(stream, entry_id, 1)
            return
        try:
            await self.handler(entry.envelope)
        except Exception as exc:
            log.warning(
                "event_handler_failed",
                group=self.group,
                event_type=entry.envelope.type,
                entry_id=entry_id,
                error=repr(exc),
            )
            await self._record_error(entry_id, repr(exc))
            return
        await self.bus.redis.xack(stream, self.group, entry_id)

    async def _record_error(self, entry_id: str, error: str) -> None:
        await self.bus.redis.hset(self._errors_key, entry_id, error[:2000])  # type: ignore[misc]
        await self.bus.redis.expire(self._errors_key, 7 * 24 * 3600)

    async def _dead_letter(self, stream: str, entry_id: str, deliveries: int) -> None:
        entries = await self.bus.redis.xrange(stream, min=entry_id, max=entry_id)
        payload = entries[0][1].get(_FIELD, b"") if entries else b""
        error = await self.bus.redis.hget(self._errors_key, entry_id)  # type: ignore[misc]
        record = {
            "stream": stream,
            "entry_id": entry_id,
            "group": self.group,
            "deliveries": deliveries,
            "error": _text(error) if error else "",
            "dead_at": utcnow().isoformat(),
        }
        await self.bus.redis.xadd(
            self.bus.dead_letter_stream,
            {b"meta": orjson.dumps(record), _FIELD: payload},
            maxlen=self.bus.maxlen,
            approximate=True,
        )
        await self.bus.redis.xack(stream, self.group, entry_id)
        await self.bus.redis.hdel(self._errors_key, entry_id)  # type: ignore[misc]
        log.error("event_dead_lettered", **record)


def _no_group(exc: Exception) -> bool:
    """Redis answered that the stream or the consumer group does not exist."""
    return isinstance(exc, ResponseError) and str(exc).startswith("NOGROUP")


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
