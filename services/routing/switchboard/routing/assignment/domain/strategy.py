"""How a pool of agents gets a conversation: round robin, least busy, or a broadcast offer."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from enum import StrEnum
from uuid import UUID

from switchboard.routing.assignment.domain.eligibility import Candidate, can_take, rotation_key

__all__ = ["Strategy", "choose_pool", "parse_strategy", "ranked", "without_lapsed"]


class Strategy(StrEnum):
    round_robin = "round_robin"
    least_busy = "least_busy"
    broadcast = "broadcast"


def parse_strategy(value: str) -> Strategy:
    """The strategy named ``value``; ``ValueError`` for anything else."""
    try:
        return Strategy(value)
    except ValueError:
        names = ", ".join(s.value for s in Strategy)
        raise ValueError(f"strategy must be one of {names}") from None


def without_lapsed(candidates: Iterable[Candidate], lapsed: Collection[UUID]) -> list[Candidate]:
    """Never offer a conversation again to an agent who let its response timer lapse."""
    return [c for c in candidates if c.id not in lapsed]


def choose_pool(
    primary: Sequence[Candidate], fallback: Sequence[Candidate] | None
) -> Sequence[Candidate]:
    """The team's pool, or its fallback team's when nobody in the team can take a conversation.

    The fallback is one level deep: a fallback team's own fallback is not followed.
    """
    if any(can_take(c) for c in primary) or not fallback:
        return primary
    return fallback


def _least_busy_key(candidate: Candidate) -> tuple[int, tuple[bool, object, UUID]]:
    return (candidate.load, rotation_key(candidate))


def ranked(strategy: Strategy, candidates: Iterable[Candidate]) -> list[Candidate]:
    """The candidates that can take a conversation, best first.

    Round robin: the one who waited longest since an assignment. Least busy: the fewest open
    conversations, then round-robin order. Broadcast: everyone who can take it (all are
    offered at once), in round-robin order.
    """
    able = [c for c in candidates if can_take(c)]
    if strategy is Strategy.least_busy:
        return sorted(able, key=_least_busy_key)
    return sorted(able, key=rotation_key)
