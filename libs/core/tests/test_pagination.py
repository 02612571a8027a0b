"""Keyset pages over a real table: every row once, in order, whatever the page size."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from sqlalchemy import Column, DateTime, MetaData, Table, Uuid, literal_column, select, text

from switchboard.core.db import Database
from switchboard.core.errors import InvalidCursor, install_error_handlers
from switchboard.core.pagination import (
    Page,
    PageDep,
    PageQuery,
    SortKey,
    cursor_of,
    decode_keys,
    keyset,
    ordered,
    split_page,
    split_page_by,
)

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest_asyncio.fixture(loop_scope="session")
async def rows_table(database: Database) -> AsyncIterator[Table]:
    """Ten rows, three of them per timestamp: the id breaks the tie, so none is skipped or
    repeated."""
    schema = f"pagination_test_{uuid4().hex[:6]}"
    table = Table(
        "row",
        MetaData(schema=schema),
        Column("id", Uuid, primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False),
    )
    async with database.engine.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        await connection.run_sync(table.metadata.create_all)
        await connection.execute(
            table.insert(),
            [{"at": START + timedelta(seconds=n // 3), "id": uuid4()} for n in range(10)],
        )
    yield table
    async with database.engine.begin() as connection:
        await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


async def _keys(database: Database, table: Table) -> list[tuple[datetime, UUID]]:
    async with database.engine.connect() as connection:
        return [(row.at, row.id) for row in await connection.execute(select(table))]


async def _walk(
    database: Database, table: Table, limit: int, *, newest_first: bool
) -> list[list[UUID]]:
    pages: list[list[UUID]] = []
    page = PageQuery(limit=limit)
    while True:
        statement = keyset(
            select(table.c.at, table.c.id), table.c.at, table.c.id, page, newest_first=newest_first
        )
        async with database.engine.connect() as connection:
            rows = list((await connection.execute(statement)).all())
        items, next_cursor = split_page(rows, page, lambda row: (row.at, row.id))
        pages.append([row.id for row in items])
        if next_cursor is None:
            return pages
        page = PageQuery(cursor=next_cursor, limit=limit)


@pytest.mark.parametrize("limit", [1, 3, 4, 10, 11])
@pytest.mark.parametrize("newest_first", [True, False])
async def test_pages_cover_every_row_once_in_order(
    database: Database, rows_table: Table, limit: int, newest_first: bool
) -> None:
    keys = sorted(await _keys(database, rows_table), reverse=newest_first)
    pages = await _walk(database, rows_table, limit, newest_first=newest_first)
    assert [id_ for page in pages for id_ in page] == [id_ for _, id_ in keys]
    assert all(len(page) == limit for page in pages[:-1])
    assert 1 <= len(pages[-1]) <= limit


@pytest.mark.parametrize("limit", [1, 2, 4, 11])
async def test_pages_of_keys_in_two_directions_cover_every_row_once(
    database: Database, rows_table: Table, limit: int
) -> None:
    """The latest time first, and the ids of one time in ascending order."""
    table = rows_table
    keys = (
        SortKey(table.c.at, descending=True, read=datetime.fromisoformat),
        SortKey(table.c.id, read=UUID),
    )
    expected = sorted(
        await _keys(database, rows_table), key=lambda key: (-key[0].timestamp(), key[1])
    )
    seen: list[UUID] = []
    page = PageQuery(limit=limit)
    while True:
        async with database.engine.connect() as connection:
            rows = list((await connection.execute(ordered(select(table), keys, page))).all())
        items, next_cursor = split_page_by(rows, page, lambda row: [row.at, row.id])
        seen += [row.id for row in items]
        if next_cursor is None:
            break
        page = PageQuery(cursor=next_cursor, limit=limit)
    assert seen == [id_ for _, id_ in expected]


def test_a_made_up_cursor_is_refused() -> None:
    table = Table("row", MetaData(), Column("id", Uuid), Column("at", DateTime(timezone=True)))
    with pytest.raises(InvalidCursor):
        keyset(select(table), table.c.at, table.c.id, PageQuery(cursor="not-a-cursor"))
    with pytest.raises(InvalidCursor):
        ordered(select(table), (SortKey(table.c.id, read=UUID),), PageQuery(cursor="WzEsMl0"))


_NUMBER = SortKey(literal_column("n"))
_TEXT = SortKey(literal_column("s"), read=str)
_MOMENT = SortKey(literal_column("at"), read=datetime.fromisoformat)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        (_NUMBER, 2**40),  # beyond an integer column
        (_MOMENT, "0001-01-01T00:00:00+01:00"),  # before the first day, in UTC
        (_TEXT, "a\x00b"),  # a NUL, which no text column takes
    ],
)
def test_a_cursor_of_a_value_the_database_refuses_is_refused(key: SortKey, value: object) -> None:
    with pytest.raises(InvalidCursor):
        decode_keys(cursor_of([value]), (key,))


def test_a_cursor_a_list_wrote_reads_back() -> None:
    keys = (_NUMBER, _TEXT, _MOMENT)
    assert decode_keys(cursor_of([4, "chao", START]), keys) == [4, "chao", START]


async def test_page_query_reads_and_bounds_the_query_parameters() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/things")
    async def things(page: PageDep) -> Page[int]:
        return Page.of(range(page.limit), page.cursor, lambda n: n * 2)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        default = await http.get("/things")
        chosen = await http.get("/things", params={"limit": 2, "cursor": "abc"})
        too_long = await http.get("/things", params={"limit": 101})
    assert default.json() == {"items": [n * 2 for n in range(50)], "next_cursor": None}
    assert chosen.json() == {"items": [0, 2], "next_cursor": "abc"}
    assert too_long.status_code == 422
