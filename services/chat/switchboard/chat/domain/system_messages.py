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
    "participant_joined",
    "participant_left",
    "phrase",
    "transfer_accepted",
    "transfer_expired",
    "transfer_rejected",
    "transfer_requested",
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
