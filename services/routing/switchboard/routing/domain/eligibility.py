"""Who may receive a conversation automatically, and who is next in the rotation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from switchboard.routing.domain.availability import AgentStatus

__all__ = ["Candidate", "in_rotation_order", "is_eligible", "next_agent"]


@dataclass(frozen=True)
class Candidate:
    """What routing knows about an inbox member when it assigns a conversation."""

    id: UUID
    status: AgentStatus
    accept_auto_assign: bool
    connected: bool
    last_assigned_at: datetime | None


def is_eligible(candidate: Candidate) -> bool:
    """Online by choice, accepting automatic chats, and with a live connection that is not away.

    Membership of the inbox is the caller's filter: only members are candidates.
    """
    return (
        candidate.status is AgentStatus.online
        and candidate.accept_auto_assign
        and candidate.connected
    )


_NEVER = datetime.min.replace(tzinfo=UTC)


def _rotation_key(candidate: Candidate) -> tuple[bool, datetime, UUID]:
    # Never-assigned agents come first, then the one who waited longest; ids break ties.
    assigned = candidate.last_assigned_at
    return (assigned is not None, assigned or _NEVER, candidate.id)


def in_rotation_order(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The eligible candidates, the one whose turn it is first (round robin)."""
    return sorted((c for c in candidates if is_eligible(c)), key=_rotation_key)


def next_agent(candidates: Iterable[Candidate]) -> Candidate | None:
    """The eligible candidate whose turn it is, or None when nobody is eligible."""
    ordered = in_rotation_order(candidates)
    return ordered[0] if ordered else None
