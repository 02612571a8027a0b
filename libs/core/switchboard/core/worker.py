"""A service's arq worker that outlives a Redis restart.

arq's own worker stops (exit code 1) at the first Redis error of its polling loop, and gives up
connecting at start-up after a few tries. This one waits and goes on: while Redis is away it
logs so and polls again after a pause, jobs already running finish on their own, and a job that
could not be queued meanwhile is caught by the service's sweep of overdue work. The worker's
``on_startup`` runs again after each outage, so it must be idempotent (``worker_settings``'
is: it builds the runtime once).

Every service's worker is declared the same way, in its ``jobs.py``:

    WorkerSettings = worker_settings("chat", Base.metadata, functions=[wake_up], cron_jobs=[...])

and a job reaches the service's runtime with ``job_runtime(ctx)``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from arq.connections import RedisSettings
from arq.cron import CronJob
from arq.typing import StartupShutdown, WorkerCoroutine
from arq.worker import Worker, get_kwargs
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy import MetaData

from switchboard.core.runtime import DatabaseRuntime, job_queue_name
from switchboard.core.settings import Settings, get_settings

__all__ = [
    "PatientWorker",
    "ServiceWorker",
    "job_runtime",
    "run_service_worker",
    "worker_settings",
]

log = structlog.get_logger(__name__)

# Between two attempts while Redis is away.
RETRY_PAUSE_SECONDS = 1.0
_REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


class PatientWorker(Worker):
    """An arq ``Worker`` whose main loop survives Redis outages."""

    async def main(self) -> None:
        while True:
            try:
                await super().main()
                return
            except _REDIS_DOWN as exc:
                log.warning(
                    "worker_redis_unavailable", error=repr(exc), retry_in=RETRY_PAUSE_SECONDS
                )
                await asyncio.sleep(RETRY_PAUSE_SECONDS)


def worker_redis_settings(settings: Settings) -> RedisSettings:
    """Connect with the suite's timeout and retries; no retries of arq's own at start-up
    (``PatientWorker`` tries for as long as it takes)."""
    return dataclasses.replace(
        RedisSettings.from_dsn(settings.redis_url),
        conn_timeout=math.ceil(settings.redis_connect_timeout_seconds),
        conn_retries=0,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=2),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )


def run_service_worker(worker_settings: Any, settings: Settings, service: str) -> None:
    """Run ``service``'s worker (its arq ``WorkerSettings``) until a signal stops it."""
    options: dict[str, Any] = {  # arq's own typing of its settings is loose
        **get_kwargs(worker_settings),
        "queue_name": job_queue_name(settings, service),
        "redis_settings": worker_redis_settings(settings),
    }
    PatientWorker(**options).run()


_RUNTIME = "runtime"
_OWNS_RUNTIME = "owns_runtime"


@dataclass
class ServiceWorker:
    """The arq settings of a service's worker (arq reads its fields as ``Worker`` options)."""

    functions: list[WorkerCoroutine]
    cron_jobs: list[CronJob]
    on_startup: StartupShutdown
    on_shutdown: StartupShutdown
    queue_name: str
    redis_settings: RedisSettings


def job_runtime(ctx: dict[str, Any]) -> DatabaseRuntime:
    """The runtime a job runs with (built by the worker's start-up, or handed in by a test)."""
    runtime: DatabaseRuntime = ctx[_RUNTIME]
    return runtime


def worker_settings(
    service: str,
    metadata: MetaData,
    *,
    functions: Sequence[WorkerCoroutine],
    cron_jobs: Sequence[CronJob] = (),
) -> ServiceWorker:
    """The worker of ``service``: its jobs and crons, run with a ``DatabaseRuntime`` of its
    tables, built at start-up unless the caller handed one in ``ctx`` (tests do) and closed
    at shutdown only when built here. The CLI sets the queue and Redis from the settings it
    runs with (``run_service_worker``)."""

    async def startup(ctx: dict[str, Any]) -> None:
        if _RUNTIME not in ctx:
            ctx[_RUNTIME] = DatabaseRuntime(service, get_settings(), metadata)
            ctx[_OWNS_RUNTIME] = True

    async def shutdown(ctx: dict[str, Any]) -> None:
        if ctx.pop(_OWNS_RUNTIME, False):
            runtime: DatabaseRuntime = ctx.pop(_RUNTIME)
            await runtime.close()

    settings = get_settings()
    return ServiceWorker(
        functions=list(functions),
        cron_jobs=list(cron_jobs),
        on_startup=startup,
        on_shutdown=shutdown,
        queue_name=job_queue_name(settings, service),
        redis_settings=RedisSettings.from_dsn(settings.redis_url),
    )
