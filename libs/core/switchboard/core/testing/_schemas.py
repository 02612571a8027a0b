"""A throwaway schema with a service's core tables, for tests of the outbox and the runtime."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import MetaData, text

from switchboard.core.db import Database
from switchboard.core.outbox import add_core_tables


@asynccontextmanager
async def core_schema(database: Database, name: str) -> AsyncIterator[MetaData]:
    """A new schema ``<name>_<random>`` holding ``outbox`` and ``processed_event`` (the tables
    every ``DatabaseRuntime`` needs), dropped on the way out."""
    schema = f"{name}_{uuid.uuid4().hex[:6]}"
    metadata = MetaData(schema=schema)
    add_core_tables(metadata)
    async with database.engine.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        await connection.run_sync(metadata.create_all)
    try:
        yield metadata
    finally:
        async with database.engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
