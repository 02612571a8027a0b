"""Keyset pagination, the one way every list path pages.

A list is sorted by a ``(timestamp, id)`` pair and a page ends with an opaque cursor that names
the last row's pair, so the next page starts right after it however many rows arrived
meanwhile (an offset would skip or repeat them). The three pieces, in the order a list uses
them: ``PageQuery`` (the ``cursor`` and ``limit`` query parameters, one dependency),
``keyset`` (the statement ordered, resumed after the cursor, one row more than the limit),
``split_page`` (the page's ``Rows`` from the rows read: its items and the next cursor) and
``Page.of_rows`` (the body of a list path from those ``Rows``).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Generic, NamedTuple, TypeVar, TypeVarTuple
from uuid import UUID

import orjson
from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, SQLColumnExpression, tuple_

from switchboard.core.errors import InvalidCursor
from switchboard.core.text import Text

__all__ = [
    "Cursor",
    "CursorQuery",
    "Items",
    "LimitQuery",
    "Page",
    "PageDep",
    "PageQuery",
    "Rows",
    "decode_cursor",
    "encode_cursor",
    "keyset",
    "split_page",
]

# The two query parameters of every list path.
LimitQuery = Annotated[int, Query(ge=1, le=100, description="Items per page (1 to 100).")]
CursorQuery = Annotated[
    Text | None, Query(max_length=512, description="The next_cursor of the previous page.")
]

T = TypeVar("T")
R = TypeVar("R")
Columns = TypeVarTuple("Columns")


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


@dataclass(frozen=True)
class PageQuery:
    """Where a page starts and how long it is: the query parameters of every list path."""

    cursor: str | None = None
    limit: int = 50

    @classmethod
    def from_query(cls, cursor: CursorQuery = None, limit: LimitQuery = 50) -> PageQuery:
        return cls(cursor=cursor, limit=limit)


PageDep = Annotated[PageQuery, Depends(PageQuery.from_query)]


def keyset(
    statement: Select[*Columns],
    at: SQLColumnExpression[datetime],
    id_: SQLColumnExpression[UUID],
    page: PageQuery,
    *,
    newest_first: bool = True,
) -> Select[*Columns]:
    """``statement`` in ``(at, id)`` order, resumed after the page's cursor, with one row more
    than the page holds (that row only tells whether another page follows)."""
    if page.cursor is not None:
        position = decode_cursor(page.cursor)
        key, after = tuple_(at, id_), tuple_(position.at, position.id)
        statement = statement.where(key < after if newest_first else key > after)
    order = (at.desc(), id_.desc()) if newest_first else (at.asc(), id_.asc())
    return statement.order_by(*order).limit(page.limit + 1)


class Rows(NamedTuple, Generic[T]):
    """What a list use case returns: the rows of one page and the cursor of the next (None on
    the last). A tuple, so ``rows, next_cursor = ...`` unpacks it; ``Page.of_rows`` makes it
    the body of the list path."""

    items: list[T]
    next_cursor: str | None = None

    def map(self, item: Callable[[T], R]) -> Rows[R]:
        """The same page with each row turned into ``item(row)``."""
        return Rows([item(row) for row in self.items], self.next_cursor)


def split_page(
    rows: Sequence[T], page: PageQuery, key: Callable[[T], tuple[datetime, UUID]]
) -> Rows[T]:
    """The rows of the page (``keyset`` read one more) and the cursor of the next page, None on
    the last one."""
    items = list(rows[: page.limit])
    if len(rows) <= page.limit:
        return Rows(items)
    return Rows(items, encode_cursor(*key(items[-1])))


class Items(BaseModel, Generic[T]):
    """A whole list in one answer: what a bounded list path returns (a range of days), so its
    body has the shape of a page without a cursor."""

    items: list[T]

    @classmethod
    def of(cls, rows: Sequence[R], item: Callable[[R], T]) -> Items[T]:
        return cls(items=[item(row) for row in rows])


class Page(BaseModel, Generic[T]):
    """One page of a list: its items and the cursor of the next page (null on the last)."""

    items: list[T]
    next_cursor: str | None = None

    @classmethod
    def of(cls, rows: Sequence[R], next_cursor: str | None, item: Callable[[R], T]) -> Page[T]:
        return cls(items=[item(row) for row in rows], next_cursor=next_cursor)

    @classmethod
    def of_rows(cls, rows: Rows[R], item: Callable[[R], T]) -> Page[T]:
        """The page of a list use case's ``Rows``, each row turned into ``item(row)``."""
        return cls.of(rows.items, rows.next_cursor, item)
