"""What each event adds to the daily counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Increment:
    day: date
    conversations: int = 0
    messages: int = 0


def increment_for(event_type: str, occurred_at: datetime) -> Increment | None:
    """The counts an event adds to its UTC day, or None when it counts for nothing."""
    day = occurred_at.date()
    if event_type == "conversation.created":
        return Increment(day=day, conversations=1)
    if event_type == "message.created":
        return Increment(day=day, messages=1)
    return None


def summed(counted: Iterable[tuple[str, Increment]]) -> dict[tuple[str, date], Increment]:
    """The increments of many events added up per account and day."""
    totals: dict[tuple[str, date], Increment] = {}
    for account_id, increment in counted:
        key = (account_id, increment.day)
        total = totals.get(key)
        totals[key] = (
            increment
            if total is None
            else Increment(
                day=increment.day,
                conversations=total.conversations + increment.conversations,
                messages=total.messages + increment.messages,
            )
        )
    return totals
