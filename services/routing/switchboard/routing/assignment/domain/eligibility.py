"""Who may receive a conversation automatically, and who is next in the rotation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from switchboard.routing.assignment.domain.availability import AgentStatus

__all__ = ["Candidate", "can_take", "has_room", "in_rotation_order", "is_eligible", "next_agent"]


@dataclass(frozen=True)
class Candidate:
    """What routing knows about a pool member when it assigns a conversation.

    ``load`` counts the agent's assigned conversations that are open or pending; ``capacity``
    is the agent's effective maximum (None: no limit).
    """

    id: UUID
    status: AgentStatus
    accept_auto_assign: bool
    connected: bool
    last_assigned_at: datetime | None
    load: int = 0
    capacity: int | None = None


def is_eligible(candidate: Candidate) -> bool:
    """Online by choice, accepting automatic chats, and with a live connection that is not away.

    Membership of the pool is the caller's filter: only members are candidates.
    """
    return (
        candidate.status is AgentStatus.online
        and candidate.accept_auto_assign
        and candidate.connected
    )


def has_room(candidate: Candidate) -> bool:
    """Below capacity: one more conversation keeps the agent at or under its maximum."""
    return candidate.capacity is None or candidate.load < candidate.capacity


def can_take(candidate: Candidate) -> bool:
    """Eligible and below capacity: may get a conversation automatically right now."""
    return is_eligible(candidate) and has_room(candidate)


_NEVER = datetime.min.replace(tzinfo=UTC)


def rotation_key(candidate: Candidate) -> tuple[bool, datetime, UUID]:
    # Never-assigned agents come first, then the one who waited longest; ids break ties.
    assigned = candidate.last_assigned_at
    return (assigned is not None, assigned or _NEVER, candidate.id)


def in_rotation_order(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The candidates that can take a conversation, the one whose turn it is first."""
    return sorted((c for c in candidates if can_take(c)), key=rotation_key)


def next_agent(candidates: Iterable[Candidate]) -> Candidate | None:
    """The candidate whose turn it is, or None when nobody can take a conversation."""
    ordered = in_rotation_order(candidates)
    return ordered[0] if ordered else None
