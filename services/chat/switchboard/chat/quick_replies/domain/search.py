"""The "/" search of quick replies: what the composer's text finds, in which order.

Rules:

- the text is compared folded (case and accents do not matter: "xin chao" finds "xin chào");
  a leading "/" (the composer's own) is not part of it;
- a reply whose shortcut begins with the text comes first, then those whose title or content
  holds it; within each, by shortcut;
- a text of fewer than ``TEXT_SEARCH_MIN_LENGTH`` characters matches shortcuts only: what was
  just typed after "/" is the start of a shortcut, and so short a text found anywhere in
  contents would list nearly every reply;
- an empty text lists every reply the caller may see, by shortcut.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

__all__ = ["TEXT_SEARCH_MIN_LENGTH", "ReplySearch", "SearchRank", "reply_search"]

TEXT_SEARCH_MIN_LENGTH = 3


class SearchRank(IntEnum):
    """Higher first."""

    text = 1
    shortcut = 2


@dataclass(frozen=True)
class ReplySearch:
    text: str
    in_text: bool  # titles and contents too, not only shortcuts


def reply_search(q: str | None) -> ReplySearch | None:
    """What ``q`` searches; None: nothing (list every reply)."""
    text = (q or "").strip().removeprefix("/").strip()
    if not text:
        return None
    return ReplySearch(text=text, in_text=len(text) >= TEXT_SEARCH_MIN_LENGTH)
