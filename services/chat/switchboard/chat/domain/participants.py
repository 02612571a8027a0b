"""Who takes part in a conversation besides its assignee, and what a change announces.

- a ``participant`` helps: agents see a system message when one joins or leaves;
- a ``monitor`` (a supervisor or admin) watches silently: no message, no trace anywhere;
- an agent has one kind at a time; the latest ``added`` wins, and a ``removed`` of another kind
  than the current one changes nothing (a late or stray event);
- both kinds widen the audience of the conversation's events (that is the store's business).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

__all__ = ["MembershipChange", "ParticipantKind", "plan_added", "plan_removed"]

Announcement = Literal["joined", "left"]


class ParticipantKind(StrEnum):
    participant = "participant"
    monitor = "monitor"


@dataclass(frozen=True)
class MembershipChange:
    kind: ParticipantKind | None  # the agent's kind after the change; None: not in it
    changed: bool
    announce: Announcement | None  # the system message to write, if any


def plan_added(current: ParticipantKind | None, kind: ParticipantKind) -> MembershipChange:
    """The change when routing says the agent was added as ``kind``."""
    if current is kind:
        return MembershipChange(kind=current, changed=False, announce=None)
    announce: Announcement | None = None
    if kind is ParticipantKind.participant:
        announce = "joined"
    elif current is ParticipantKind.participant:
        announce = "left"  # from helping to watching: visibly gone, silently there
    return MembershipChange(kind=kind, changed=True, announce=announce)


def plan_removed(current: ParticipantKind | None, kind: ParticipantKind) -> MembershipChange:
    """The change when routing says the agent of ``kind`` was removed."""
    if current is not kind:
        return MembershipChange(kind=current, changed=False, announce=None)
    announce: Announcement | None = "left" if kind is ParticipantKind.participant else None
    return MembershipChange(kind=None, changed=True, announce=announce)
