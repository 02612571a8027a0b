"""The estimated wait a visitor is told together with its position in the queue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

__all__ = ["DEFAULT_SECONDS_PER_POSITION", "estimate_wait_seconds", "position_changes"]

DEFAULT_SECONDS_PER_POSITION = 60


def estimate_wait_seconds(
    position: int,
    recent_waits: Sequence[float],
    *,
    default_per_position: int = DEFAULT_SECONDS_PER_POSITION,
) -> int:
    """``position`` times the average wait of the inbox's recent assignments from the queue.

    Without recent samples each position counts ``default_per_position`` seconds; a
    conversation that left the queue (position 0) waits no longer.
    """
    if position <= 0:
        return 0
    if not recent_waits:
        return position * default_per_position
    average = sum(max(0.0, wait) for wait in recent_waits) / len(recent_waits)
    return max(1, round(position * average))


def position_changes(ordered: Sequence[UUID], told: Mapping[UUID, int]) -> list[tuple[UUID, int]]:
    """(conversation, new position) for every conversation whose position is not what its
    visitor was last told; conversations that left the queue get position 0."""
    changes = [
        (conversation_id, index)
        for index, conversation_id in enumerate(ordered, start=1)
        if told.get(conversation_id) != index
    ]
    waiting = set(ordered)
    changes.extend(
        (conversation_id, 0) for conversation_id in told if conversation_id not in waiting
    )
    return changes
