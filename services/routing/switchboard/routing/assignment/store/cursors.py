"""Opaque cursors over sort keys that are not ``(timestamp, id)``: the queue (priority, wait,
id) and the agents a transfer can go to (load, id)."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import orjson

from switchboard.core.errors import InvalidCursor
from switchboard.core.pagination import PageQuery, Rows

T = TypeVar("T")


def encode_keys(keys: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(keys)).decode().rstrip("=")


def decode(cursor: str, *kinds: Callable[[Any], Any]) -> tuple[Any, ...]:
    """The cursor's keys, each read as its kind (``int``, ``UUID``, ...); 400 invalid_cursor
    when it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        keys = orjson.loads(base64.urlsafe_b64decode(padded))
        if not isinstance(keys, list) or len(keys) < len(kinds):
            raise InvalidCursor()
        return tuple(kind(key) for kind, key in zip(kinds, keys, strict=False))
    except InvalidCursor:
        raise
    except Exception as exc:
        raise InvalidCursor() from exc


def split(rows: Sequence[T], page: PageQuery, keys: Callable[[T], list[Any]]) -> Rows[T]:
    """The rows of the page (the query read one more) and the cursor of the next page."""
    items = list(rows[: page.limit])
    if len(rows) <= page.limit:
        return Rows(items)
    return Rows(items, encode_keys(keys(items[-1])))
