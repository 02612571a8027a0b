"""Redis stream entry ids (``<milliseconds>-<sequence>``) and the resume rule."""

from __future__ import annotations

import re

__all__ = ["StreamId", "is_after", "needs_resync", "parse_stream_id"]

StreamId = tuple[int, int]
_PATTERN = re.compile(r"^(\d{1,20})-(\d{1,20})$")


def parse_stream_id(value: str) -> StreamId:
    """``"1700000000000-3"`` -> ``(1700000000000, 3)``; ``ValueError`` if it is not one."""
    found = _PATTERN.match(value)
    if found is None:
        raise ValueError(f"{value!r} is not a stream entry id")
    return int(found.group(1)), int(found.group(2))


def is_after(entry_id: str, other: str) -> bool:
    return parse_stream_id(entry_id) > parse_stream_id(other)


def needs_resync(
    last_event_id: str,
    *,
    first_id: str | None,
    last_generated_id: str,
    entries_added: int,
    length: int,
    max_deleted_id: str | None = None,
) -> bool:
    """True when events after ``last_event_id`` may be gone (or it is from another stream).

    Trimming is known from ``entries_added > length`` (``XINFO STREAM``); then anything older
    than the oldest retained entry may have lost successors. That is conservative by one entry:
    a client whose last event was the very last one trimmed is also asked to resync.
    """
    last = parse_stream_id(last_event_id)
    if last > parse_stream_id(last_generated_id):
        return True  # the stream was recreated: this id belongs to one that no longer exists
    if max_deleted_id is not None and last < parse_stream_id(max_deleted_id):
        return True
    if entries_added <= length or first_id is None:
        return False
    return last < parse_stream_id(first_id)
