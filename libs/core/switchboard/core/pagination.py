"""Keyset pagination, the one way every list path pages.

A list is sorted by a ``(timestamp, id)`` pair and a page ends with an opaque cursor that names
the last row's keys, so the next page starts right after it however many rows arrived
meanwhile (an offset would skip or repeat them). The three pieces, in the order a list uses
them: ``PageQuery`` (the ``cursor`` and ``limit`` query parameters, one dependency),
``keyset`` (the statement ordered, resumed after the cursor, one row more than the limit),
``split_page`` (the page's ``Rows`` from the rows read: its items and the next cursor) and
``Page.of_rows`` (the body of a list path from those ``Rows``).

A list in another order (a queue by priority then age, conversations by rank) names its keys
as ``SortKey``s: ``ordered`` resumes after a cursor of their values, whatever each key's
direction, and ``split_page_by`` writes that cursor.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, NamedTuple, TypeVar, TypeVarTuple
from uuid import UUID

import orjson
from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    and_,
    false,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
    union_all,
)

from switchboard.contracts.text import Text, check_text
from switchboard.core.errors import InvalidCursor

__all__ = [
    "CursorQuery",
    "Items",
    "LimitQuery",
    "Page",
    "PageDep",
    "PageQuery",
    "Rows",
    "SortKey",
    "after",
    "cursor_of",
    "decode_keys",
    "keyset",
    "ordered",
    "split_page",
    "split_page_by",
    "tiered",
]

# The two query parameters of every list path.
LimitQuery = Annotated[int, Query(ge=1, le=100, description="Items per page (1 to 100).")]
CursorQuery = Annotated[
    Text | None, Query(max_length=512, description="The next_cursor of the previous page.")
]

T = TypeVar("T")
R = TypeVar("R")
Columns = TypeVarTuple("Columns")


@dataclass(frozen=True)
class PageQuery:
    """Where a page starts and how long it is: the query parameters of every list path."""

    cursor: str | None = None
    limit: int = 50

    @classmethod
    async def from_query(cls, cursor: CursorQuery = None, limit: LimitQuery = 50) -> PageQuery:
        # async: FastAPI runs a plain def dependency in a worker thread (see core.auth).
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
    keys = (
        SortKey(at, descending=newest_first, read=datetime.fromisoformat),
        SortKey(id_, descending=newest_first, read=UUID),
    )
    return ordered(statement, keys, page)


@dataclass(frozen=True)
class SortKey:
    """One key of a list's order: its expression (never null: coalesce a nullable one), its
    direction, and how a cursor's value of it is read back (``int``, ``UUID``,
    ``datetime.fromisoformat``...)."""

    expression: SQLColumnExpression[Any]
    descending: bool = False
    read: Callable[[Any], Any] = int


def ordered(
    statement: Select[*Columns], keys: Sequence[SortKey], page: PageQuery
) -> Select[*Columns]:
    """``statement`` in the order of ``keys``, resumed after the page's cursor (written by
    ``split_page_by`` with the values of the same keys), with one row more than the page."""
    if page.cursor is not None:
        statement = statement.where(after(keys, decode_keys(page.cursor, keys)))
    order = [key.expression.desc() if key.descending else key.expression.asc() for key in keys]
    return statement.order_by(*order).limit(page.limit + 1)


RANK = "search_rank"  # the column of a tiered list's rank (see ``tiered``)


def tiered(
    tiers: Sequence[tuple[int, Select[*tuple[Any, ...]]]],
    keys_of: Callable[[Any], Sequence[SortKey]],
    columns: Any,
    page: PageQuery,
) -> Select[*tuple[Any, ...]]:
    """A page of a ranked list (a search's: the strongest matches first, then each tier in
    the order of its keys), each tier (its rank, the SELECT of its rows) a list of its own:
    each stops after a page (an index in the keys' order can walk it and stop, where one
    ORDER BY of the rank and the keys would sort every match), and the page takes the
    strongest first. ``keys_of`` gives the keys over ``columns`` (the tiers' table's) or over
    the union's, of the same names. The cursor (``split_page_by`` with the rank and the keys'
    values) names a rank and the keys within it: stronger tiers are done, its own resumes
    after its keys, weaker ones start from their beginning. The rows carry ``RANK``."""
    rank_key = SortKey(literal_column(RANK), descending=True)
    keys = keys_of(columns)
    position = decode_keys(page.cursor, (rank_key, *keys)) if page.cursor is not None else None
    branches = []
    for rank, statement in tiers:
        branch = statement.add_columns(literal(rank).label(RANK))
        if position is not None:
            if rank > position[0]:
                continue
            if rank == position[0]:
                branch = branch.where(after(keys, position[1:]))
        branches.append(ordered(branch, keys, PageQuery(limit=page.limit)))
    if not branches:  # the cursor was past the weakest tier: a page of nothing
        return tiers[-1][1].add_columns(literal(0).label(RANK)).where(false())
    found = union_all(*branches).subquery("found")
    within = [k.expression.desc() if k.descending else k.expression.asc() for k in keys_of(found.c)]
    return select(found).order_by(found.c[RANK].desc(), *within).limit(page.limit + 1)


def after(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """The rows that come after ``values`` in the order of ``keys``: one row comparison when
    every key goes one way (an index on the keys then bounds the scan), else the first key
    beyond its value, or equal to it and the rest after theirs."""
    directions = {key.descending for key in keys}
    if len(directions) == 1:
        row, position = tuple_(*(key.expression for key in keys)), tuple_(*values)
        return row < position if directions == {True} else row > position
    return _lexicographically_after(keys, values)


def _lexicographically_after(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    if not keys:
        return false()
    key, value = keys[0], values[0]
    beyond = key.expression < value if key.descending else key.expression > value
    return or_(
        beyond, and_(key.expression == value, _lexicographically_after(keys[1:], values[1:]))
    )


def _cursor_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)  # a UUID, whichever driver's class it is


def decode_keys(cursor: str, keys: Sequence[SortKey]) -> list[Any]:
    """The values of ``keys`` a cursor holds, each read back as its key says; 400
    ``invalid_cursor`` when the cursor is not one of this list's."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = orjson.loads(base64.urlsafe_b64decode(padded))
        if not isinstance(values, list) or len(values) != len(keys):
            raise InvalidCursor()
        return [_storable(key.read(value)) for key, value in zip(keys, values, strict=True)]
    except InvalidCursor:
        raise
    except Exception as exc:
        raise InvalidCursor() from exc


# An integer key (a rank, a priority, a count) is a column of 32 bits.
_INTEGERS = range(-(2**31), 2**31)


def _storable(value: Any) -> Any:
    """A key's value as the database takes it: a made-up cursor's value that it would refuse
    (an integer beyond 32 bits, a NUL, a moment before the first day in UTC) raises here, so
    the cursor is refused rather than the query failing in the driver (a 500)."""
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INTEGERS:
        raise InvalidCursor()
    if isinstance(value, str):
        check_text(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)  # OverflowError out of the range of a year
    return value


def split_page_by(
    rows: Sequence[T], page: PageQuery, values: Callable[[T], Sequence[Any]]
) -> Rows[T]:
    """``split_page`` for a list read by ``ordered``: ``values`` gives a row's key values,
    in the order of its ``SortKey``s."""
    items = list(rows[: page.limit])
    if len(rows) <= page.limit:
        return Rows(items)
    return Rows(items, cursor_of(values(items[-1])))


def cursor_of(values: Sequence[Any]) -> str:
    """The opaque cursor that resumes a list right after a row with these key values."""
    raw = orjson.dumps([_cursor_value(value) for value in values])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


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
    return split_page_by(rows, page, key)


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
