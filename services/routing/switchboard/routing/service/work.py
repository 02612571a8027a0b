"""One routing transaction with what it leaves to do after the commit.

Inside: the session, and the outbox for events. After the commit: arq jobs to schedule (offer
and transfer expiry, response timers), agents whose slot freed (their queues drain), and
inboxes whose queue changed (their visitors learn their new positions).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.events import Delivery, Envelope
from switchboard.core.runtime import Runtime

log = structlog.get_logger(__name__)
# arq may start a job a millisecond before its time; the job checks the deadline itself.
_SLACK = timedelta(milliseconds=250)


@dataclass(frozen=True)
class Job:
    function: str
    args: tuple[str, ...]
    at: datetime
    job_id: str


@dataclass
class Work:
    runtime: Runtime
    session: AsyncSession
    account_id: UUID
    jobs: list[Job] = field(default_factory=list)
    freed_agents: set[UUID] = field(default_factory=set)
    touched_inboxes: set[UUID] = field(default_factory=set)
    drain_teams: set[UUID] = field(default_factory=set)

    async def publish(self, envelope: Envelope) -> None:
        assert self.runtime.outbox is not None
        await self.runtime.outbox.add(self.session, envelope)

    def later(self, function: str, *args: str, at: datetime, job_id: str) -> None:
        self.jobs.append(Job(function, tuple(args), at, job_id))


async def schedule(runtime: Runtime, jobs: list[Job]) -> None:
    """Enqueue the jobs; without a job pool (or Redis failing) the sweep catches them later."""
    if not jobs or runtime.jobs is None:
        return
    for job in jobs:
        try:
            await runtime.jobs.enqueue_job(
                job.function, *job.args, _defer_until=job.at + _SLACK, _job_id=job.job_id
            )
        except Exception as exc:
            log.warning("job_schedule_failed", job_id=job.job_id, error=repr(exc))


@asynccontextmanager
async def routing_work(
    runtime: Runtime,
    account_id: UUID,
    *,
    settle: bool = True,
    handling: Delivery[Any] | None = None,
) -> AsyncIterator[Work]:
    """A transaction; after its commit, jobs are scheduled and (``settle``) freed slots drain
    the queue and changed queues publish their positions. ``handling``: the consumed event it
    handles (see ``Runtime.unit_of_work``)."""
    async with runtime.unit_of_work(handling=handling) as session:
        work = Work(runtime, session, account_id)
        yield work
    await schedule(runtime, work.jobs)
    if settle:
        await settle_after(work)


async def settle_after(work: Work) -> None:
    # Imported here: assignment imports this module for its transactions.
    from switchboard.routing.assignment.service.drain import drain, drain_for_agent

    runtime, account_id = work.runtime, work.account_id
    touched = set(work.touched_inboxes)
    for agent_id in sorted(work.freed_agents):
        await drain_for_agent(runtime, account_id=account_id, agent_id=agent_id)
    await drain(
        runtime,
        account_id=account_id,
        inbox_ids=touched,
        team_ids=work.drain_teams,
        refresh=touched,
    )
