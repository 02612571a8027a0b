"""The arq worker of routing: offer and transfer expiry, response timers, and a sweep for
the ones whose job was lost. Each job sits beside its use case; this lists them."""

from __future__ import annotations

from typing import Any

from arq import cron

from switchboard.core.worker import job_runtime, worker_settings
from switchboard.routing.assignment.service.expiry import expire_overdue
from switchboard.routing.assignment.service.offers import expire_offer_job
from switchboard.routing.assignment.service.timers import response_timeout_job
from switchboard.routing.store.models import Base
from switchboard.routing.transfers.service.answers import expire_transfer_job


async def expire_overdue_work(ctx: dict[str, Any]) -> int:
    """Whatever is overdue and whose job was lost (Redis down when it was scheduled)."""
    return await expire_overdue(job_runtime(ctx))


WorkerSettings = worker_settings(
    "routing",
    Base.metadata,
    functions=[expire_offer_job, expire_transfer_job, response_timeout_job],
    cron_jobs=[cron(expire_overdue_work, second={23}, run_at_startup=True)],
)
