"""The resources of one service process, built in its lifespan and handed to requests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Annotated, Any

from arq import ArqRedis
from fastapi import Depends, Request
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy import MetaData, Table
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.bus import Bus
from switchboard.core.db import Database
from switchboard.core.events import Delivery
from switchboard.core.outbox import Outbox
from switchboard.core.ratelimit import RateLimits
from switchboard.core.sessions import Sessions
from switchboard.core.settings import Settings
from switchboard.core.work import UnitOfWork, unit_of_work

__all__ = [
    "DatabaseRuntime",
    "DatabaseRuntimeDep",
    "Loop",
    "Runtime",
    "RuntimeDep",
    "SessionDep",
    "job_queue_name",
    "redis_client",
    "with_database",
]

# A background loop of a service: runs until its lifespan cancels it.
Loop = Coroutine[Any, Any, None]


def job_queue_name(settings: Settings, service: str) -> str:
    return f"{{{settings.key_prefix}}}:jobs:{service}"


def redis_client(settings: Settings) -> Redis:
    """A Redis client that survives a Redis restart: a command that meets a broken connection
    (every pooled one is broken after a restart) is tried again on a new one, twice, before
    its caller hears ``ConnectionError``."""
    client: Redis = Redis.from_url(
        settings.redis_url,
        socket_connect_timeout=settings.redis_connect_timeout_seconds,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=2),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )
    return client


class Runtime:
    """Redis, the bus, token sessions and rate limits of one service: what every service has.

    The gateway has no more; a service with tables has a ``DatabaseRuntime``. Objects of a
    service's own (an HTTP client, chat's message writer) are its ``ServiceState``, built in
    its lifespan (see ``switchboard.core.app``).
    """

    def __init__(self, service: str, settings: Settings) -> None:
        self.service = service
        self.settings = settings
        self.redis = redis_client(settings)
        self.bus = Bus(self.redis, prefix=settings.key_prefix, maxlen=settings.stream_maxlen)
        self.sessions = Sessions(self.redis, prefix=settings.key_prefix)
        self.rate_limits = RateLimits(
            self.redis, prefix=settings.key_prefix, enabled=settings.rate_limits_enabled
        )

    def loops(self) -> list[Loop]:
        """Background loops the runtime itself needs, run by the service's lifespan."""
        return []

    async def close(self) -> None:
        await self.redis.aclose()


class DatabaseRuntime(Runtime):
    """The runtime of a service with tables: its database, its outbox and processed-event
    tables (every schema has both, see ``add_core_tables``), and its arq job queue."""

    def __init__(self, service: str, settings: Settings, metadata: MetaData) -> None:
        super().__init__(service, settings)
        schema = metadata.schema
        if schema is None:
            raise ValueError(f"{service}'s tables have no schema")
        self.schema = schema
        self.db = Database(
            settings.database_url,
            connect_timeout=settings.database_connect_timeout_seconds,
            pool_timeout=settings.database_pool_timeout_seconds,
        )
        self.outbox = Outbox(metadata.tables[f"{schema}.outbox"], self.bus, service)
        self.processed: Table = metadata.tables[f"{schema}.processed_event"]
        # On the runtime's own connections, without arq's connect-and-ping: a service starts
        # while Redis is down, and a job that cannot be queued is caught by its sweep.
        self.jobs = ArqRedis(
            self.redis.connection_pool, default_queue_name=job_queue_name(settings, service)
        )

    def work(
        self, *, handling: Delivery[Any] | None = None
    ) -> AbstractAsyncContextManager[UnitOfWork]:
        """A transaction whose events, jobs and callbacks follow its commit (see
        ``switchboard.core.work``). ``handling``: the consumed event it handles, recorded as
        handled first; a repeat raises ``Repeated`` before the body runs."""
        return unit_of_work(
            self.db,
            self.outbox,
            self.processed,
            self.jobs,
            handling=handling.id if handling is not None else None,
        )

    def loops(self) -> list[Loop]:
        """The outbox sweeper: publishes what a crash left between a commit and its publish."""
        sweeper = self.outbox.run_sweeper(
            self.db,
            interval=self.settings.outbox_sweep_interval_seconds,
            min_age_seconds=self.settings.outbox_sweep_min_age_seconds,
        )
        return [*super().loops(), sweeper]

    async def close(self) -> None:
        await self.outbox.drain_cleanup()
        await self.jobs.aclose()
        await super().close()
        await self.db.dispose()


def with_database(metadata: MetaData) -> Callable[[str, Settings], DatabaseRuntime]:
    """The runtime factory of a service whose tables are ``metadata``'s
    (``ServiceParts.runtime``)."""

    def build(service: str, settings: Settings) -> DatabaseRuntime:
        return DatabaseRuntime(service, settings, metadata)

    return build


async def _runtime(request: Request) -> Runtime:  # async: no worker thread per request
    runtime: Runtime = request.app.state.runtime
    return runtime


async def _database_runtime(request: Request) -> DatabaseRuntime:
    runtime: DatabaseRuntime = request.app.state.runtime
    return runtime


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    runtime: DatabaseRuntime = request.app.state.runtime
    async with runtime.db.session() as session:
        yield session


RuntimeDep = Annotated[Runtime, Depends(_runtime)]
SessionDep = Annotated[AsyncSession, Depends(_session)]
# The runtime of a service with tables (every service but the gateway).
DatabaseRuntimeDep = Annotated[DatabaseRuntime, Depends(_database_runtime)]
