"""The wording of system messages: the history lines agents see, the visitor never does.

Names come from chat's projections and may be unknown (an agent or a team chat has not heard
of yet); a missing name reads "an agent" / "a team". Texts are short English sentences with no
final full stop, the first letter capitalised.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "REASON_MAX_LENGTH",
    "AgentRef",
    "Party",
    "TeamRef",
    "assigned",
    "label_added",
    "label_removed",
    "participant_joined",
    "participant_left",
    "phrase",
    "priority_changed",
    "snooze_ended",
    "status_changed",
    "transfer_accepted",
    "transfer_expired",
    "transfer_rejected",
    "transfer_requested",
    "unassigned",
]

REASON_MAX_LENGTH = 300
# Bare outcome codes say nothing the sentence does not already say.
_SILENT_REASONS = frozenset({"accepted", "rejected", "declined", "expired", "timeout"})


@dataclass(frozen=True)
class AgentRef:
    """An agent, by name when chat knows it."""

    name: str | None = None


@dataclass(frozen=True)
class TeamRef:
    """A team, by name when chat knows it."""

    name: str | None = None


Party = AgentRef | TeamRef


def phrase(party: Party) -> str:
    """How a sentence names ``party`` in the middle: "Minh", "an agent", "team Billing"."""
    name = (party.name or "").strip()
    if isinstance(party, TeamRef):
        return f"team {name}" if name else "a team"
    return name or "an agent"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _with_reason(text: str, reason: str | None) -> str:
    cleaned = " ".join((reason or "").split())
    if not cleaned or cleaned.lower() in _SILENT_REASONS:
        return text
    if len(cleaned) > REASON_MAX_LENGTH:
        cleaned = cleaned[: REASON_MAX_LENGTH - 1].rstrip() + "…"
    return f"{text}: {cleaned}"


def transfer_requested(*, requester: AgentRef, target: Party) -> str:
    """ "Lan asked to transfer this conversation to Minh"."""
    return _sentence(f"{phrase(requester)} asked to transfer this conversation to {phrase(target)}")


def transfer_accepted(*, requester: AgentRef, target: Party, by: AgentRef | None) -> str:
    """ "Minh accepted the transfer from Lan"; without ``by``, the transfer to the target."""
    if by is None:
        return _sentence(f"the transfer to {phrase(target)} was accepted")
    return _sentence(f"{phrase(by)} accepted the transfer from {phrase(requester)}")


def transfer_rejected(
    *, requester: AgentRef, target: Party, by: AgentRef | None, reason: str | None
) -> str:
    """ "Minh rejected the transfer from Lan: <reason>" (the reason when there is one)."""
    if by is None:
        text = f"the transfer to {phrase(target)} was rejected"
    else:
        text = f"{phrase(by)} rejected the transfer from {phrase(requester)}"
    return _with_reason(_sentence(text), reason)


def transfer_expired(*, target: Party) -> str:
    """ "The transfer to Minh expired without an answer"."""
    return _sentence(f"the transfer to {phrase(target)} expired without an answer")


def participant_joined(agent: AgentRef) -> str:
    """ "Minh joined the conversation"."""
    return _sentence(f"{phrase(agent)} joined the conversation")


def participant_left(agent: AgentRef) -> str:
    """ "Minh left"."""
    return _sentence(f"{phrase(agent)} left")


_STATUS_WORDS = {
    "pending": "set the conversation to pending",
    "snoozed": "snoozed the conversation",
    "resolved": "resolved the conversation",
}


def status_changed(*, by: AgentRef, status: str, previous_status: str) -> str:
    """ "Lan resolved the conversation", "Lan reopened the conversation"."""
    if status == "open":
        done = (
            "reopened the conversation"
            if previous_status in ("resolved", "snoozed")
            else "set the conversation to open"
        )
    else:
        done = _STATUS_WORDS[status]
    return _sentence(f"{phrase(by)} {done}")


def snooze_ended() -> str:
    """ "The snooze ended: the conversation is open again"."""
    return "The snooze ended: the conversation is open again"


def assigned(*, agent: AgentRef, by: AgentRef | None, by_self: bool = False) -> str:
    """ "Assigned to Minh"; "Lan assigned the conversation to Minh"; "Minh took the
    conversation" (``by_self``)."""
    if by_self:
        return _sentence(f"{phrase(agent)} took the conversation")
    if by is None:
        return _sentence(f"assigned to {phrase(agent)}")
    return _sentence(f"{phrase(by)} assigned the conversation to {phrase(agent)}")


def unassigned(agent: AgentRef) -> str:
    """ "Minh was unassigned: the conversation is back in the queue"."""
    return _sentence(f"{phrase(agent)} was unassigned: the conversation is back in the queue")


def sent_to_team(*, team: TeamRef, by: AgentRef | None) -> str:
    """ "Lan sent the conversation to team Billing"; "Sent to team Billing"."""
    if by is None:
        return _sentence(f"sent to {phrase(team)}")
    return _sentence(f"{phrase(by)} sent the conversation to {phrase(team)}")


def label_added(*, by: AgentRef, label: str) -> str:
    """ "Lan added the label Logistics"."""
    return _sentence(f"{phrase(by)} added the label {label}")


def label_removed(*, by: AgentRef, label: str) -> str:
    """ "Lan removed the label Logistics"."""
    return _sentence(f"{phrase(by)} removed the label {label}")


def priority_changed(*, by: AgentRef, priority: str) -> str:
    """ "Lan set the priority to high"; "Lan removed the priority" (none)."""
    if priority == "none":
        return _sentence(f"{phrase(by)} removed the priority")
    return _sentence(f"{phrase(by)} set the priority to {priority}")
