"""One routing transaction with what it leaves to do after the commit.

Core's unit of work (``switchboard.core.work``) gives the session, the outbox for events and
the jobs scheduled after the commit (offer and transfer expiry, response timers). Routing adds
what settles after it: agents whose slot freed (their queues drain), and inboxes whose queue
changed (their visitors learn their new positions).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.events import Delivery, Envelope
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.work import JobFunction, UnitOfWork

# arq may start a job a millisecond before its time; the job checks the deadline itself.
_SLACK = timedelta(milliseconds=250)


@dataclass
class Work:
    runtime: DatabaseRuntime
    unit: UnitOfWork
    account_id: UUID
    freed_agents: set[UUID] = field(default_factory=set)
    touched_inboxes: set[UUID] = field(default_factory=set)
    drain_teams: set[UUID] = field(default_factory=set)

    @property
    def session(self) -> AsyncSession:
        return self.unit.session

    async def publish(self, envelope: Envelope) -> None:
        await self.unit.publish(envelope)

    def later(self, job: JobFunction, *args: str, at: datetime, job_id: str) -> None:
        """Run ``job`` at ``at`` (a little after: see ``_SLACK``), once the commit is done."""
        self.unit.later(job, *args, at=at + _SLACK, job_id=job_id)


@asynccontextmanager
async def routing_work(
    runtime: DatabaseRuntime,
    account_id: UUID,
    *,
    settle: bool = True,
    handling: Delivery[Any] | None = None,
) -> AsyncIterator[Work]:
    """A transaction; after its commit, jobs are scheduled and (``settle``) freed slots drain
    the queue and changed queues publish their positions. ``handling``: the consumed event it
    handles (see ``DatabaseRuntime.work``).

    The settling runs after the unit of work rather than as one of its after-commit
    callbacks: its errors reach the caller (a request answers 503, a consumer tries the event
    again), where a callback's are only logged.
    """
    async with runtime.work(handling=handling) as unit:
        work = Work(runtime, unit, account_id)
        yield work
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
