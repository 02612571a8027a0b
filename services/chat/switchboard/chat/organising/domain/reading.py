"""Read positions and unread counts.

- A reader's position is the last message he read (its time and id order messages); it only
  moves forward: marking an older message read leaves it where it is.
- Unread: the messages after the position that the reader may see and did not write. For an
  agent, private notes of other agents count (they are there for him to read) and system lines
  do not (history, not words to answer). For the visitor, only what he sees: public messages
  of agents (never a private note, never a system line).
- Without a position, every such message of the conversation is unread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

__all__ = ["Mark", "ReaderType", "UnreadRule", "moves_forward", "unread_rule"]

ReaderType = Literal["agent", "visitor"]


@dataclass(frozen=True)
class Mark:
    """A place in a conversation: a message's time and id."""

    at: datetime
    message_id: UUID


@dataclass(frozen=True)
class UnreadRule:
    """Which messages after the position count as unread for a kind of reader."""

    private_counts: bool
    system_counts: bool


_RULES: dict[ReaderType, UnreadRule] = {
    "agent": UnreadRule(private_counts=True, system_counts=False),
    "visitor": UnreadRule(private_counts=False, system_counts=False),
}


def unread_rule(reader_type: ReaderType) -> UnreadRule:
    return _RULES[reader_type]


def moves_forward(current: Mark | None, target: Mark) -> bool:
    """Whether reading up to ``target`` moves the position (it never goes back)."""
    if current is None:
        return True
    return (target.at, target.message_id.int) > (current.at, current.message_id.int)
