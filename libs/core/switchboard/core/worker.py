"""A service's arq worker that outlives a Redis restart.

arq's own worker stops (exit code 1) at the first Redis error of its polling loop, and gives up
connecting at start-up after a few tries. This one waits and goes on: while Redis is away it
logs so and polls again after a pause, jobs already running finish on their own, and a job that
could not be queued meanwhile is caught by the service's sweep of overdue work. The worker's
``on_startup`` runs again after each outage, so it must be idempotent (the services' are: they
build their runtime once).
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
from typing import Any

import structlog
from arq.connections import RedisSettings
from arq.worker import Worker, get_kwargs
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from switchboard.core.runtime import job_queue_name
from switchboard.core.settings import Settings

__all__ = ["PatientWorker", "run_service_worker"]

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
