"""Keyset pagination: opaque cursors over ``(timestamp, id)`` sort keys."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated, Generic, TypeVar
from uuid import UUID

import orjson
from fastapi import Query
from pydantic import BaseModel

from switchboard.core.errors import InvalidCursor
from switchboard.core.text import Text

__all__ = ["Cursor", "CursorQuery", "LimitQuery", "Page", "decode_cursor", "encode_cursor"]

# The two query parameters of every list path.
LimitQuery = Annotated[int, Query(ge=1, le=100, description="Items per page (1 to 100).")]
CursorQuery = Annotated[
    Text | None, Query(max_length=512, description="The next_cursor of the previous page.")
]

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class Cursor(BaseModel):
    at: datetime
    id: UUID


def encode_cursor(at: datetime, id_: UUID) -> str:
    raw = orjson.dumps({"at": at.isoformat(), "id": str(id_)})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> Cursor:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return Cursor.model_validate(orjson.loads(base64.urlsafe_b64decode(padded)))
    except Exception as exc:
        raise InvalidCursor() from exc
