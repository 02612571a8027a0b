"""Who receives a pushed event: the audience of a connection and the matching rule."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

__all__ = [
    "ROLES",
    "ConnectionKind",
    "connection_audience",
    "matches",
    "roles_at_or_below",
    "should_relay",
    "typing_audience",
]

ConnectionKind = Literal["agent", "visitor"]
# From the narrowest to the widest: an admin also receives what supervisors and agents do.
ROLES: tuple[str, ...] = ("agent", "supervisor", "admin")


def roles_at_or_below(role: str) -> list[str]:
    """``supervisor`` -> ``["agent", "supervisor"]``; an unknown role counts as none."""
    if role not in ROLES:
        return []
    return list(ROLES[: ROLES.index(role) + 1])


def connection_audience(
    kind: ConnectionKind,
    principal_id: str,
    *,
    role: str | None = None,
    inbox_ids: Iterable[str] = (),
) -> frozenset[str]:
    """The audience strings one connection answers to (always within its own account)."""
    if kind == "visitor":
        return frozenset({f"visitor:{principal_id}"})
    strings = {f"agent:{principal_id}"}
    strings.update(f"inbox:{inbox_id}" for inbox_id in inbox_ids)
    strings.update(f"role:{r}" for r in roles_at_or_below(role or ""))
    return frozenset(strings)


def matches(
    connection_account: str,
    connection_audience: frozenset[str],
    event_account: str,
    event_audience: Iterable[str],
) -> bool:
    """Same account and at least one shared audience string."""
    if connection_account != event_account:
        return False
    return not connection_audience.isdisjoint(event_audience)


def should_relay(event_audience: Iterable[str]) -> bool:
    """An event with an empty audience is internal and never reaches a socket."""
    return any(event_audience)


def typing_audience(
    sender_kind: ConnectionKind,
    *,
    inbox_id: str | None,
    assignee_id: str | None,
    visitor_id: str | None,
) -> list[str]:
    """Who sees a ``typing`` event: the visitor's reaches the assignee and the inbox, an
    agent's reaches the visitor."""
    if sender_kind == "visitor":
        audience = [f"inbox:{inbox_id}"] if inbox_id else []
        if assignee_id:
            audience.append(f"agent:{assignee_id}")
        return audience
    return [f"visitor:{visitor_id}"] if visitor_id else []
