"""Async database access: one engine and session factory per process, built in the lifespan.

Every connection commits durably whatever the server's default: a commit returns only once it
is on disk, because the client is told "ok" right after. A connection that would start with
``synchronous_commit = off`` (postgresql.conf, ``ALTER DATABASE``, ``ALTER ROLE``) gets it back
``on`` for its session; a stronger setting (``remote_write``, ``remote_apply``) is kept.
``fsync = off`` cannot be mended from a session: it is logged as an error and remembered
(``Database.fsync_off``) for the readiness probe and the production start-up check.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

__all__ = [
    "Database",
    "Timestamp",
    "column_types",
    "naming_convention",
    "schema_metadata",
]

log = structlog.get_logger(__name__)

# One round trip per new connection: raise a non-durable synchronous_commit to "on" for the
# session (set_config(..., false) outlives the statement), and read fsync.
_DURABLE_SESSION = """
SELECT current_setting('fsync'),
       CASE WHEN current_setting('synchronous_commit') = 'off'
            THEN set_config('synchronous_commit', 'on', false)
            ELSE current_setting('synchronous_commit') END
"""

naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Timestamp = DateTime(timezone=True)


def schema_metadata(schema: str) -> MetaData:
    """The metadata of a service's tables: in ``schema``, with stable constraint names (a
    service's declarative base takes it with the core tables: ``outbox.schema_registry``)."""
    return MetaData(schema=schema, naming_convention=naming_convention)


# Every ``datetime`` column is timezone-aware.
column_types: dict[Any, Any] = {datetime: Timestamp}


class Database:
    """The engine and session factory of one service process.

    ``connect_timeout``: how long opening a connection may take before the caller hears the
    database is unavailable; ``pool_timeout``: how long a request waits for a pooled
    connection when all are busy.
    """

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        echo: bool = False,
        connect_timeout: float = 5.0,
        pool_timeout: float = 10.0,
    ) -> None:
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=20,
            pool_recycle=1800,
            pool_timeout=pool_timeout,
            # The most recently used connection first: a few warm connections (each with its
            # prepared statements) serve a light load instead of all of them in turn.
            pool_use_lifo=True,
            echo=echo,
            connect_args={"timeout": connect_timeout},
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # None until a connection has asked the server.
        self.fsync_off: bool | None = None
        self.synchronous_commit: str | None = None
        event.listen(self.engine.sync_engine, "connect", self._on_connect)

    def _on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.run_async(self._make_durable)

    async def _make_durable(self, connection: Any) -> None:
        """Runs on every new connection, before anyone uses it."""
        fsync, synchronous_commit = await connection.fetchrow(_DURABLE_SESSION)
        fsync_off = fsync == "off"
        if fsync_off and not self.fsync_off:
            log.error(
                "database_not_durable",
                problem="fsync is off: a crash of the server can lose acknowledged messages",
            )
        self.fsync_off = fsync_off
        self.synchronous_commit = synchronous_commit

    async def check_durability(self) -> bool | None:
        """Open a connection (which reads the server's fsync); True when fsync is off."""
        async with self.engine.connect():
            pass
        return self.fsync_off

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            yield session

    @asynccontextmanager
    async def autocommit(self) -> AsyncIterator[AsyncConnection]:
        """A connection outside any transaction: each statement commits on its own. For one
        read, or one atomic write, it spares the BEGIN and COMMIT round trips."""
        async with self.engine.connect() as connection:
            yield await connection.execution_options(isolation_level="AUTOCOMMIT")

    async def dispose(self) -> None:
        await self.engine.dispose()
