"""A service's queued jobs, run to the end by a burst worker in the test's process."""

from __future__ import annotations

from arq.connections import RedisSettings
from arq.worker import Worker

from switchboard.core.runtime import DatabaseRuntime, job_queue_name
from switchboard.core.worker import ServiceWorker

__all__ = ["run_jobs"]


async def run_jobs(worker_settings: ServiceWorker, runtime: DatabaseRuntime) -> Worker:
    """Run the jobs of ``runtime``'s service (its ``WorkerSettings``), with that runtime, until
    its queue is empty; the worker, whose counts tell what ran."""
    worker = Worker(
        functions=worker_settings.functions,
        on_startup=worker_settings.on_startup,
        on_shutdown=worker_settings.on_shutdown,
        ctx={"runtime": runtime},
        queue_name=job_queue_name(runtime.settings, runtime.service),
        redis_settings=RedisSettings.from_dsn(runtime.settings.redis_url),
        burst=True,
        poll_delay=0.1,
        handle_signals=False,
    )
    try:
        await worker.main()
    finally:
        await worker.close()
    return worker
