"""What an agent asks of the conversation list: filters that combine, an order, a search.

Rules:

- every filter narrows the list (they combine with AND); with none, the list is every
  conversation the caller may see;
- a time range whose start is after its end is refused (``invalid_range``) rather than
  answered with an empty page: it is a mistake in the question, not a question;
- a search (``q``) is compared folded, so case and accents do not matter ("huyen" finds
  "Huyền"), and ranks what it finds: the conversation whose id it is first, then those whose
  visitor's name, email or phone hold it, then those with a message that holds it; within a
  rank, the order asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum, IntEnum, StrEnum
from typing import Literal
from uuid import UUID

from switchboard.contracts.values import ConversationPriority, ConversationStatus

__all__ = [
    "AssigneeFilter",
    "ConversationFilter",
    "ConversationSort",
    "FindingRefusal",
    "FindingRefused",
    "Listing",
    "SearchRank",
    "TimeRange",
]

# An agent's id, "unassigned", or None for any assignee or none.
AssigneeFilter = UUID | Literal["unassigned"] | None


class ConversationSort(StrEnum):
    """The orders of the list."""

    last_activity = "last_activity"  # the latest message or creation first (the default)
    newest = "newest"  # the most recently opened first
    oldest = "oldest"  # the first opened first
    longest_waiting = "longest_waiting"  # unreplied first, the longest waiting first
    priority = "priority"  # urgent first, then the latest activity


class SearchRank(IntEnum):
    """How strongly a conversation matched a search: the higher, the earlier it is listed."""

    message = 0
    visitor = 1
    conversation_id = 2


class FindingRefusal(Enum):
    invalid_range = "invalid_range"


class FindingRefused(Exception):
    def __init__(self, refusal: FindingRefusal, message: str) -> None:
        super().__init__(message)
        self.refusal = refusal


@dataclass(frozen=True)
class TimeRange:
    """From ``after`` (inclusive) to ``before`` (exclusive); either end may be open."""

    after: datetime | None = None
    before: datetime | None = None

    def check(self, name: str) -> None:
        if self.after is not None and self.before is not None and self.after > self.before:
            raise FindingRefused(
                FindingRefusal.invalid_range, f"{name}_after is later than {name}_before"
            )


@dataclass(frozen=True)
class ConversationFilter:
    """The filters of one question to the list; ``None`` (or an open range) does not filter."""

    status: ConversationStatus | None = None
    assignee: AssigneeFilter = None
    inbox_id: UUID | None = None
    visitor_id: UUID | None = None
    participant_id: UUID | None = None  # takes part (invited, monitoring), not as assignee
    team_id: UUID | None = None  # sent to that team
    label_id: UUID | None = None
    priority: ConversationPriority | None = None
    starred_by: UUID | None = None  # that agent starred it
    unread_by: UUID | None = None  # that agent has not read all of it
    unreplied: bool | None = None  # True: the visitor waits for an answer; False: he does not
    created: TimeRange = TimeRange()
    updated: TimeRange = TimeRange()
    search: str | None = None
    except_id: UUID | None = None  # another conversation of the visitor's, not this one

    def checked(self) -> ConversationFilter:
        """The filter, or ``FindingRefused`` when it asks a question that has no answer."""
        self.created.check("created")
        self.updated.check("updated")
        return self

    def search_id(self) -> UUID | None:
        """The conversation id the search names, when it is one."""
        if self.search is None:
            return None
        try:
            return UUID(self.search.strip())
        except ValueError:
            return None


@dataclass(frozen=True)
class Listing:
    """One question to the list (``wanted``), the order of its answer, and for whom:
    ``visible_to``, only the conversations that agent may see; ``viewer``, each with that
    agent's labels, star and unread count."""

    wanted: ConversationFilter
    sort: ConversationSort = ConversationSort.last_activity
    visible_to: UUID | None = None
    viewer: UUID | None = None
