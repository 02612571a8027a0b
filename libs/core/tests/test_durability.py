"""An acknowledged message is committed durably whatever the database's default says."""

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.engine import make_url

from switchboard.core.db import Database
from switchboard.core.settings import Settings
from switchboard.core.testing.plugin import create_database, drop_database


@pytest_asyncio.fixture(loop_scope="session")
async def careless_database(sb_settings: Settings) -> AsyncIterator[str]:
    """A database whose own default is ``synchronous_commit = off``: a commit would return
    before its WAL is written, and a crash of the server would lose it."""
    name = f"sb_careless_{uuid.uuid4().hex[:8]}"
    url = await create_database(sb_settings.database_url, name)
    await _admin(url, f"ALTER DATABASE {name} SET synchronous_commit = off")
    try:
        yield url
    finally:
        await drop_database(sb_settings.database_url, name)


async def _admin(url: str, statement: str) -> str:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        return str(await connection.fetchval(statement) or "")
    finally:
        await connection.close()


async def _synchronous_commit(database: Database) -> tuple[str, str]:
    async with database.session() as session, session.begin():
        in_transaction = await session.scalar(text("SHOW synchronous_commit"))
    async with database.autocommit() as connection:
        alone = await connection.scalar(text("SHOW synchronous_commit"))
    return str(in_transaction), str(alone)


async def test_our_connections_commit_durably_when_the_database_says_off(
    careless_database: str,
) -> None:
    assert await _admin(careless_database, "SHOW synchronous_commit") == "off"
    database = Database(careless_database)
    try:
        assert await _synchronous_commit(database) == ("on", "on")
        assert database.fsync_off is False
    finally:
        await database.dispose()


async def test_a_stronger_setting_of_the_database_is_kept(careless_database: str) -> None:
    name = make_url(careless_database).database
    await _admin(careless_database, f"ALTER DATABASE {name} SET synchronous_commit = remote_apply")
    database = Database(careless_database)
    try:
        assert await _synchronous_commit(database) == ("remote_apply", "remote_apply")
    finally:
        await database.dispose()
