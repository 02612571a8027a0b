"""Keyset pages sorted newest first by ``(timestamp, id)``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar, TypeVarTuple
from uuid import UUID

from sqlalchemy import Select, SQLColumnExpression, tuple_

from switchboard.core.pagination import decode_cursor, encode_cursor

T = TypeVar("T")
Columns = TypeVarTuple("Columns")


def newest_first(
    statement: Select[*Columns],
    at: SQLColumnExpression[datetime],
    id_: SQLColumnExpression[UUID],
    *,
    cursor: str | None,
    limit: int,
) -> Select[*Columns]:
    """``statement`` ordered newest first, after ``cursor``, one row more than ``limit``."""
    if cursor is not None:
        position = decode_cursor(cursor)
        statement = statement.where(tuple_(at, id_) < tuple_(position.at, position.id))
    return statement.order_by(at.desc(), id_.desc()).limit(limit + 1)


def split_page(
    rows: Sequence[T], limit: int, key: Callable[[T], tuple[datetime, UUID]]
) -> tuple[list[T], str | None]:
    """The items of the page and the cursor of the next one (None on the last page)."""
    items = list(rows[:limit])
    if len(rows) <= limit:
        return items, None
    at, id_ = key(items[-1])
    return items, encode_cursor(at, id_)
