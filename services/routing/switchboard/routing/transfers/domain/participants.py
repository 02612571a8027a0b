"""Who else is in a conversation besides its assignee: invited helpers and silent monitors."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum, StrEnum
from uuid import UUID

__all__ = [
    "InvitationStatus",
    "InviteRefusal",
    "ParticipantKind",
    "ParticipantRefusal",
    "invite_refusal",
    "leave_refusal",
    "monitor_refusal",
    "stop_monitoring_refusal",
]


class ParticipantKind(StrEnum):
    participant = "participant"  # sees and writes; the visitor is told (system message)
    monitor = "monitor"  # a supervisor watching silently


class InvitationStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    cancelled = "cancelled"


class InviteRefusal(Enum):
    not_a_participant = "not_a_participant"  # the inviter: only those in it invite
    already_participant = "already_participant"
    already_invited = "already_invited"


class ParticipantRefusal(Enum):
    """Refusals of leaving and monitoring."""

    assignee_cannot_leave = "assignee_cannot_leave"
    not_a_participant = "not_a_participant"  # the one leaving
    already_participant = "already_participant"
    not_monitoring = "not_monitoring"  # stopping what one does not do


def invite_refusal(
    *,
    inviter_id: UUID,
    invitee_id: UUID,
    assignee_id: UUID | None,
    present: Mapping[UUID, ParticipantKind],
    already_invited: bool,
) -> InviteRefusal | None:
    """Why the inviter may not invite the invitee, or None when it may.

    The assignee and the conversation's participants invite; monitors do not.
    """
    if inviter_id != assignee_id and present.get(inviter_id) is not ParticipantKind.participant:
        return InviteRefusal.not_a_participant
    if invitee_id == assignee_id or invitee_id in present:
        return InviteRefusal.already_participant
    if already_invited:
        return InviteRefusal.already_invited
    return None


def leave_refusal(
    *, agent_id: UUID, assignee_id: UUID | None, present: Mapping[UUID, ParticipantKind]
) -> ParticipantRefusal | None:
    """Anyone but the assignee can leave: the assignee transfers instead."""
    if agent_id == assignee_id:
        return ParticipantRefusal.assignee_cannot_leave
    if agent_id not in present:
        return ParticipantRefusal.not_a_participant
    return None


def monitor_refusal(
    *, agent_id: UUID, assignee_id: UUID | None, present: Mapping[UUID, ParticipantKind]
) -> ParticipantRefusal | None:
    """A supervisor joins to monitor unless already in the conversation."""
    if agent_id == assignee_id or agent_id in present:
        return ParticipantRefusal.already_participant
    return None


def stop_monitoring_refusal(
    *, agent_id: UUID, assignee_id: UUID | None, present: Mapping[UUID, ParticipantKind]
) -> ParticipantRefusal | None:
    """Only a monitor stops monitoring (a participant leaves instead)."""
    if present.get(agent_id) is not ParticipantKind.monitor:
        return ParticipantRefusal.not_monitoring
    return None
