"""Opaque cursors over sort keys that are not ``(timestamp, id)``."""

from __future__ import annotations

import base64
from typing import Any

import orjson

from switchboard.core.errors import InvalidCursor


def encode_keys(keys: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(keys)).decode().rstrip("=")


def decode_keys(cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        keys = orjson.loads(base64.urlsafe_b64decode(padded))
    except Exception as exc:
        raise InvalidCursor() from exc
    if not isinstance(keys, list):
        raise InvalidCursor()
    return keys
