"""The resources of one service process, built in its lifespan and handed to requests."""

from __future__ import annotations

from collections.abc import AsyncIterator
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
from switchboard.core.outbox import Outbox, UnitOfWork
from switchboard.core.ratelimit import RateLimits
from switchboard.core.sessions import Sessions
from switchboard.core.settings import Settings

__all__ = ["Runtime", "RuntimeDep", "SessionDep", "job_queue_name", "redis_client"]


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
    """Database, Redis, bus and outbox of one service (an HTTP client is the service's own,
    for the few that call another: built in its lifespan)."""

    def __init__(self, service: str, settings: Settings, metadata: MetaData | None) -> None:
        self.service = service
        self.settings = settings
        self.redis = redis_client(settings)
        self.bus = Bus(self.redis, prefix=settings.key_prefix, maxlen=settings.stream_maxlen)
        self.sessions = Sessions(self.redis, prefix=settings.key_prefix)
        self.rate_limits = RateLimits(
            self.redis, prefix=settings.key_prefix, enabled=settings.rate_limits_enabled
        )
        self.jobs: ArqRedis | None = None
        self.db: Database | None = None
        self.outbox: Outbox | None = None
        self.processed: Table | None = None
        if metadata is not None:
            self.db = Database(
                settings.database_url,
                connect_timeout=settings.database_connect_timeout_seconds,
                pool_timeout=settings.database_pool_timeout_seconds,
            )
            schema = metadata.schema
            self.outbox = Outbox(metadata.tables[f"{schema}.outbox"], self.bus, service)
            self.processed = metadata.tables[f"{schema}.processed_event"]

    @property
    def database(self) -> Database:
        assert self.db is not None, f"{self.service} has no database"
        return self.db

    def unit_of_work(
        self, *, handling: Delivery[Any] | None = None
    ) -> AbstractAsyncContextManager[AsyncSession]:
        """A transaction whose outbox events are published right after it commits.

        ``handling``: the consumed event this transaction handles. It is recorded as handled
        first, and a repeat (handled before) raises ``Repeated`` before the body runs, which
        the handler registry acknowledges: the one idempotency check of every consumer.
        """
        assert self.outbox is not None
        transaction: AbstractAsyncContextManager[AsyncSession] = UnitOfWork(
            self.database, self.outbox, self.processed
        )(handling=handling.id if handling is not None else None)
        return transaction

    async def start_jobs(self) -> None:
        # On the runtime's own connections, without arq's connect-and-ping: a service starts
        # while Redis is down, and a job that cannot be queued is caught by its sweep.
        self.jobs = ArqRedis(
            self.redis.connection_pool,
            default_queue_name=job_queue_name(self.settings, self.service),
        )

    async def close(self) -> None:
        if self.outbox is not None:
            await self.outbox.drain_cleanup()
        if self.jobs is not None:
            await self.jobs.aclose()
        await self.redis.aclose()
        if self.db is not None:
            await self.db.dispose()


async def _runtime(request: Request) -> Runtime:  # async: no worker thread per request
    runtime: Runtime = request.app.state.runtime
    return runtime


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    runtime: Runtime = request.app.state.runtime
    async with runtime.database.session() as session:
        yield session


RuntimeDep = Annotated[Runtime, Depends(_runtime)]
SessionDep = Annotated[AsyncSession, Depends(_session)]
