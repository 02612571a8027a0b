"""The transactional outbox against real PostgreSQL and Redis."""

import uuid
from collections.abc import AsyncIterator

import pytest_asyncio
from sqlalchemy import MetaData, Table, func, select, text

from switchboard.core.bus import Bus
from switchboard.core.db import Database
from switchboard.core.events import Envelope
from switchboard.core.outbox import Outbox, add_core_tables, first_delivery


@pytest_asyncio.fixture(loop_scope="session")
async def tables(database: Database) -> AsyncIterator[tuple[Table, Table]]:
    schema = f"outbox_test_{uuid.uuid4().hex[:6]}"
    metadata = MetaData(schema=schema)
    outbox, processed = add_core_tables(metadata)
    async with database.engine.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        await connection.run_sync(metadata.create_all)
    yield outbox, processed
    async with database.engine.begin() as connection:
        await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def envelope() -> Envelope:
    return Envelope(type="conversation.created", account_id="a", source="test", key="c")


async def count(database: Database, table: Table) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_the_sweeper_publishes_a_row_left_by_a_crash(
    database: Database, bus: Bus, tables: tuple[Table, Table]
) -> None:
    outbox = Outbox(tables[0], bus, "svc")
    event = envelope()
    # The process crashed between commit and publish: the row is there, the stream is empty.
    async with database.session() as session, session.begin():
        await outbox.add(session, event)
    assert await bus.redis.xlen(bus.stream("svc")) == 0

    assert await outbox.sweep(database, min_age_seconds=0) == 1
    entries = await bus.redis.xrange(bus.stream("svc"))
    assert [Envelope.decode(fields[b"e"]).id for _, fields in entries] == [event.id]
    assert await count(database, tables[0]) == 0
    assert await outbox.sweep(database, min_age_seconds=0) == 0


async def test_a_young_row_is_left_to_the_publisher(
    database: Database, bus: Bus, tables: tuple[Table, Table]
) -> None:
    outbox = Outbox(tables[0], bus, "svc")
    async with database.session() as session, session.begin():
        await outbox.add(session, envelope())
    assert await outbox.sweep(database, min_age_seconds=60) == 0


async def test_an_event_is_handled_once(database: Database, tables: tuple[Table, Table]) -> None:
    event_id = str(uuid.uuid4())
    async with database.session() as session, session.begin():
        assert await first_delivery(session, tables[1], event_id)
    async with database.session() as session, session.begin():
        assert not await first_delivery(session, tables[1], event_id)
