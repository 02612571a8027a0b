"""The resources of one service process, built in its lifespan and handed to requests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Annotated

import httpx
from arq import ArqRedis, create_pool
from arq.connections import RedisSettings
from fastapi import Depends, Request
from redis.asyncio import Redis
from sqlalchemy import MetaData, Table
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.bus import Bus
from switchboard.core.db import Database
from switchboard.core.outbox import Outbox, UnitOfWork
from switchboard.core.ratelimit import RateLimits
from switchboard.core.sessions import Sessions
from switchboard.core.settings import Settings

__all__ = ["Runtime", "RuntimeDep", "SessionDep", "job_queue_name"]


def job_queue_name(settings: Settings, service: str) -> str:
    return f"{{{settings.key_prefix}}}:jobs:{service}"


class Runtime:
    """Database, Redis, bus, outbox and HTTP client of one service."""

    def __init__(self, service: str, settings: Settings, metadata: MetaData | None) -> None:
        self.service = service
        self.settings = settings
        self.redis = Redis.from_url(settings.redis_url)
        self.bus = Bus(self.redis, prefix=settings.key_prefix, maxlen=settings.stream_maxlen)
        self.sessions = Sessions(self.redis, prefix=settings.key_prefix)
        self.rate_limits = RateLimits(
            self.redis, prefix=settings.key_prefix, enabled=settings.rate_limits_enabled
        )
        self.http = httpx.AsyncClient(timeout=10.0)
        self.jobs: ArqRedis | None = None
        self.db: Database | None = None
        self.outbox: Outbox | None = None
        self.processed: Table | None = None
        if metadata is not None:
            self.db = Database(settings.database_url)
            schema = metadata.schema
            self.outbox = Outbox(metadata.tables[f"{schema}.outbox"], self.bus, service)
            self.processed = metadata.tables[f"{schema}.processed_event"]

    @property
    def database(self) -> Database:
        assert self.db is not None, f"{self.service} has no database"
        return self.db

    def unit_of_work(self) -> AbstractAsyncContextManager[AsyncSession]:
        """A transaction whose outbox events are published right after it commits."""
        assert self.outbox is not None
        transaction: AbstractAsyncContextManager[AsyncSession] = UnitOfWork(
            self.database, self.outbox
        )()
        return transaction

    async def start_jobs(self) -> None:
        self.jobs = await create_pool(
            RedisSettings.from_dsn(self.settings.redis_url),
            default_queue_name=job_queue_name(self.settings, self.service),
        )

    async def close(self) -> None:
        if self.outbox is not None:
            await self.outbox.drain_cleanup()
        if self.jobs is not None:
            await self.jobs.aclose()
        await self.http.aclose()
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
