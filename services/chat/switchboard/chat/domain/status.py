"""The life of a conversation: open, pending, snoozed, resolved.

Rules:

- every status may move to every other one, except that a resolved conversation can only be
  reopened (``open``): it is not snoozed or parked as pending without being looked at again;
- ``snoozed`` needs a ``snoozed_until`` in the future, and no other status carries one;
- asking for the status a conversation already has is refused (``status_unchanged``), except
  snoozed -> snoozed with another ``snoozed_until``, which moves the wake-up time;
- a visitor who writes reopens a resolved or snoozed conversation;
- a snooze wake-up reopens the conversation only if it is still snoozed until that very time
  (a later snooze, a resolve or a reopen in between wins).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from switchboard.contracts.values import ConversationStatus

__all__ = [
    "ConversationStatus",
    "StatusChange",
    "StatusChangeRefused",
    "StatusRefusal",
    "plan_status_change",
    "status_after_visitor_message",
    "wake_is_due",
]


_ALLOWED: dict[ConversationStatus, frozenset[ConversationStatus]] = {
    ConversationStatus.open: frozenset(
        {ConversationStatus.pending, ConversationStatus.snoozed, ConversationStatus.resolved}
    ),
    ConversationStatus.pending: frozenset(
        {ConversationStatus.open, ConversationStatus.snoozed, ConversationStatus.resolved}
    ),
    ConversationStatus.snoozed: frozenset(
        {ConversationStatus.open, ConversationStatus.pending, ConversationStatus.resolved}
    ),
    ConversationStatus.resolved: frozenset({ConversationStatus.open}),
}


class StatusRefusal(Enum):
    snoozed_until_required = "snoozed_until_required"
    snoozed_until_in_past = "snoozed_until_in_past"
    snoozed_until_not_allowed = "snoozed_until_not_allowed"
    status_unchanged = "status_unchanged"
    invalid_transition = "invalid_transition"


class StatusChangeRefused(Exception):
    """A status change the rules refuse: which rule, and why in words."""

    def __init__(self, refusal: StatusRefusal, message: str) -> None:
        super().__init__(message)
        self.refusal = refusal
        self.message = message


@dataclass(frozen=True)
class StatusChange:
    status: ConversationStatus
    previous_status: ConversationStatus
    snoozed_until: datetime | None


def plan_status_change(
    *,
    current: ConversationStatus,
    current_snoozed_until: datetime | None,
    target: ConversationStatus,
    snoozed_until: datetime | None,
    now: datetime,
) -> StatusChange:
    """The change from ``current`` to ``target``; raises ``StatusChangeRefused``."""
    if target is ConversationStatus.snoozed:
        if snoozed_until is None:
            raise StatusChangeRefused(
                StatusRefusal.snoozed_until_required, "snoozing needs snoozed_until"
            )
        if snoozed_until <= now:
            raise StatusChangeRefused(
                StatusRefusal.snoozed_until_in_past, "snoozed_until must be in the future"
            )
    elif snoozed_until is not None:
        raise StatusChangeRefused(
            StatusRefusal.snoozed_until_not_allowed,
            f"snoozed_until is only for status 'snoozed', not '{target.value}'",
        )
    if target is current:
        if target is ConversationStatus.snoozed and snoozed_until != current_snoozed_until:
            return StatusChange(status=target, previous_status=current, snoozed_until=snoozed_until)
        raise StatusChangeRefused(
            StatusRefusal.status_unchanged, f"the conversation is already {current.value}"
        )
    if target not in _ALLOWED[current]:
        raise StatusChangeRefused(
            StatusRefusal.invalid_transition,
            f"a {current.value} conversation cannot become {target.value}",
        )
    return StatusChange(status=target, previous_status=current, snoozed_until=snoozed_until)


def status_after_visitor_message(current: ConversationStatus) -> ConversationStatus | None:
    """The status a visitor's message moves the conversation to, or None when it stays."""
    if current in (ConversationStatus.resolved, ConversationStatus.snoozed):
        return ConversationStatus.open
    return None


def wake_is_due(
    *, status: ConversationStatus, snoozed_until: datetime | None, scheduled_for: datetime
) -> bool:
    """Whether a wake-up scheduled for ``scheduled_for`` still applies to the conversation."""
    return status is ConversationStatus.snoozed and snoozed_until == scheduled_for
