"""What a notification tells an agent, whether he wants it, and the words a front end shows."""

from __future__ import annotations

from collections.abc import Collection

from switchboard.contracts.values import NotificationKind

__all__ = ["NotificationKind", "assignment_notifies", "wanted", "words"]

# The words of each kind; ``{actor}`` is who caused it (a name, or "Someone").
_WORDS = {
    NotificationKind.mention: "{actor} mentioned you in a private note",
    NotificationKind.assigned: "{actor} assigned a conversation to you",
    NotificationKind.transfer: "{actor} asks you to take over a conversation",
    NotificationKind.invitation: "{actor} invited you into a conversation",
    NotificationKind.sla_near_breach: "A conversation is close to breaching its SLA",
    NotificationKind.sla_breached: "A conversation breached its SLA",
}
# An assignment nobody asked for by name (the queue, a timeout) has no actor to name.
_ASSIGNED_BY_ROUTING = "A conversation was assigned to you"
_SOMEONE = "Someone"


def wanted(kind: NotificationKind, muted: Collection[str]) -> bool:
    """Whether an agent who turned off ``muted`` gets a notification of ``kind``."""
    return kind.value not in muted


def assignment_notifies(reason: str | None) -> bool:
    """An assignment tells the agent unless he took the conversation himself (accepting an
    offer or a transfer asked of him)."""
    return reason not in ("offer", "transfer")


def words(kind: NotificationKind, actor: str | None) -> str:
    """What the notification says, in words a front end can show as they are."""
    if kind is NotificationKind.assigned and actor is None:
        return _ASSIGNED_BY_ROUTING
    return _WORDS[kind].format(actor=actor or _SOMEONE)
