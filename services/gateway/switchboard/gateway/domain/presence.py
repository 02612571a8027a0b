"""Presence of an agent: its live connections, each away or not, and when to announce it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import orjson

__all__ = [
    "LIVE_HEARTBEATS",
    "ConnectionPresence",
    "PresenceSummary",
    "Transition",
    "decode_presence",
    "encode_presence",
    "is_live",
    "summarize",
    "transition",
]

# A connection is live while its last heartbeat is at most this many heartbeats old.
LIVE_HEARTBEATS = 3
Transition = Literal["online", "offline"]


@dataclass(frozen=True)
class ConnectionPresence:
    away: bool
    seen: float  # epoch seconds of the last heartbeat


@dataclass(frozen=True)
class PresenceSummary:
    online: bool
    connections: int  # live connections, away or not


def encode_presence(presence: ConnectionPresence) -> bytes:
    return orjson.dumps({"away": presence.away, "seen": presence.seen})


def decode_presence(raw: bytes | str) -> ConnectionPresence | None:
    """The stored value of one connection; ``None`` when it is unreadable."""
    try:
        value = orjson.loads(raw)
        return ConnectionPresence(away=bool(value["away"]), seen=float(value["seen"]))
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None


def is_live(presence: ConnectionPresence, *, now: float, heartbeat_seconds: float) -> bool:
    return now - presence.seen <= LIVE_HEARTBEATS * heartbeat_seconds


def summarize(
    connections: Mapping[str, ConnectionPresence], *, now: float, heartbeat_seconds: float
) -> PresenceSummary:
    """Online when at least one live connection is not away."""
    live = [
        p for p in connections.values() if is_live(p, now=now, heartbeat_seconds=heartbeat_seconds)
    ]
    return PresenceSummary(online=any(not p.away for p in live), connections=len(live))


def transition(was_online: bool, summary: PresenceSummary) -> Transition | None:
    """What to announce, if anything, when the last announced state was ``was_online``.

    Going offline because a connection closed is only decided after the grace period (the
    caller waits, then asks again), so a phone switching networks does not flap.
    """
    if summary.online and not was_online:
        return "online"
    if not summary.online and was_online:
        return "offline"
    return None
