"""The push stream: every event a socket may hear, from every service, in one order.

One totally ordered stream is what makes ``resume`` by a single event id possible: a client's
last seen id orders everything it missed, whichever service produced it. The relay (one
instance per event, see ``events/relay.py``) adds to it; every gateway instance reads it for
its own sockets, and ``resume`` replays a range of it.

This module owns the stream whole: its key, its entries (the envelope in field ``e``), the
script that adds an event once, the reading and the replay.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, NamedTuple

import structlog
from redis.exceptions import ResponseError

from switchboard.core.bus import Bus
from switchboard.core.events import Envelope
from switchboard.gateway.domain.stream_ids import needs_resync

__all__ = ["PUSH_STREAM", "RELAYED_TTL_SECONDS", "Push", "PushStream"]

log = structlog.get_logger(__name__)

PUSH_STREAM = "stream:push"
# Long enough to outlive every redelivery of the consumer group (reclaim idle x deliveries).
RELAYED_TTL_SECONDS = 3600
_FIELD = b"e"
_REPLAY_PAGE = 500

# The relayed-id marker is written with the XADD: an entry redelivered after a crash between
# XADD and XACK is not added twice.
_RELAY_ONCE = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', ARGV[3], ARGV[4])
end
return false
"""


class Push(NamedTuple):
    """One entry of the push stream: its id (the ``id`` clients resume from) and its event."""

    entry_id: str
    envelope: Envelope


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _decode(entry_id: Any, fields: dict[Any, Any]) -> Push | None:
    """The entry's event; ``None`` (and a warning) when it is unreadable."""
    try:
        return Push(_text(entry_id), Envelope.decode(fields[_FIELD]))
    except Exception as exc:
        log.warning("push_entry_undecodable", entry_id=_text(entry_id), error=repr(exc))
        return None


class PushStream:
    def __init__(self, bus: Bus) -> None:
        self.bus = bus
        self.key = bus.key(PUSH_STREAM)
        self._relay_once = bus.redis.register_script(_RELAY_ONCE)

    async def relay(self, event: Envelope) -> None:
        """Add ``event`` unless it was added before."""
        await self._relay_once(
            keys=[self.bus.key(f"relayed:{event.id}"), self.key],
            args=[RELAYED_TTL_SECONDS, self.bus.maxlen, _FIELD, event.encode()],
        )

    async def last_id(self) -> str:
        """The id of the newest entry (``0-0`` for an empty stream): read strictly after it."""
        newest = await self.bus.redis.xrevrange(self.key, max="+", min="-", count=1)
        return _text(newest[0][0]) if newest else "0-0"

    async def read(self, after: str, *, count: int, block_ms: int) -> tuple[str, list[Push]]:
        """The entries after ``after``, waiting up to ``block_ms`` for one, and the id to read
        after next time (past the unreadable entries too, which are left out)."""
        response = await self.bus.redis.xread({self.key: after}, count=count, block=block_ms)
        cursor, pushes = after, []
        for _, entries in response or []:
            for entry_id, fields in entries:
                cursor = _text(entry_id)
                push = _decode(entry_id, fields)
                if push is not None:
                    pushes.append(push)
        return cursor, pushes

    async def retains_after(self, last_event_id: str) -> bool:
        """Whether every entry after ``last_event_id`` is still here (see ``needs_resync``)."""
        try:
            raw = await self.bus.redis.xinfo_stream(self.key)
        except ResponseError:  # no push stream yet: nothing was ever missed
            return True
        info = {_text(name): value for name, value in raw.items()}
        first = info.get("first-entry")
        deleted = info.get("max-deleted-entry-id")
        return not needs_resync(
            last_event_id,
            first_id=_text(first[0]) if first else None,
            last_generated_id=_text(info.get("last-generated-id", b"0-0")),
            entries_added=int(info.get("entries-added", 0)),
            length=int(info.get("length", 0)),
            max_deleted_id=_text(deleted) if deleted is not None else None,
        )

    async def since(self, last_event_id: str) -> AsyncIterator[Push]:
        """The entries after ``last_event_id``, oldest first, read a page at a time."""
        start = f"({last_event_id}"
        while True:
            entries = await self.bus.redis.xrange(self.key, min=start, max="+", count=_REPLAY_PAGE)
            if not entries:
                return
            for entry_id, fields in entries:
                push = _decode(entry_id, fields)
                if push is not None:
                    yield push
            start = f"({_text(entries[-1][0])}"
