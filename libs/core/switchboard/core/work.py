"""The unit of work of a database service: one transaction, and what it leaves to do after.

    async with runtime.work(handling=event) as work:
        ...                                   # work.session: the transaction
        await work.publish(envelope)          # an outbox row now, on the bus after the commit
        work.later(expire_offer_job, str(offer.id), at=deadline, job_id=f"offer:{offer.id}")
        work.after_commit(drain_the_queue)    # runs once the change is visible to others

After the commit, in this order: the events are published, the jobs are queued, the
callbacks run (in the order they were added). None of these can undo the commit, so their
errors are logged, not raised: an unpublished event is republished by the outbox sweeper, and
a job that could not be queued is caught by its service's sweep of overdue work.

``handling``: the consumed event the transaction handles. It is recorded as handled before
the body runs, and a repeat (handled before) stops with ``Repeated``: the one idempotency
check of every consumer (see ``switchboard.core.handlers``).

A job is named by its function, not by a string: ``later`` takes the arq job function itself
and queues its ``__name__``, so a job that does not exist is an import error, not a job the
worker never finds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from arq import ArqRedis
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.db import Database
from switchboard.core.events import Envelope
from switchboard.core.outbox import Outbox, Repeated, first_deliveries, first_delivery, pending

__all__ = ["AfterCommit", "JobFunction", "UnitOfWork", "unit_of_work"]

log = structlog.get_logger(__name__)

# An arq job: ``async def job(ctx, *args: str)``, listed in its service's worker settings.
JobFunction = Callable[..., Awaitable[Any]]
AfterCommit = Callable[[], Awaitable[object]]


@dataclass(frozen=True)
class _Job:
    function: JobFunction
    args: tuple[str, ...]
    at: datetime
    job_id: str


class UnitOfWork:
    """The transaction (``session``) of one use case and what it leaves to do after its
    commit: events to publish, jobs to queue, callbacks to run."""

    def __init__(self, session: AsyncSession, outbox: Outbox, processed: Table) -> None:
        self.session = session
        self._outbox = outbox
        self._processed = processed
        self._jobs: list[_Job] = []
        self._after_commit: list[AfterCommit] = []

    async def publish(self, envelope: Envelope) -> None:
        """Write the event with the change; it goes on the bus once the transaction commits."""
        await self._outbox.add(self.session, envelope)

    async def publish_many(self, envelopes: Sequence[Envelope]) -> None:
        """``publish`` for many events in one round trip, published in this order."""
        await self._outbox.add_many(self.session, envelopes)

    async def first_deliveries(self, event_ids: Sequence[str]) -> set[str]:
        """Record consumed events as handled in this transaction; the ids never handled
        before (a batch consumer's ``handling=``)."""
        return await first_deliveries(self.session, self._processed, event_ids)

    def later(self, job: JobFunction, *args: str, at: datetime, job_id: str) -> None:
        """Queue ``job(*args)`` for ``at`` once the transaction commits; ``job_id``: the same
        job queued twice runs once."""
        self._jobs.append(_Job(job, tuple(args), at, job_id))

    def after_commit(self, callback: AfterCommit) -> None:
        """Run ``callback()`` once the transaction committed (after the events and jobs)."""
        self._after_commit.append(callback)

    async def _committed(self, db: Database, jobs: ArqRedis, envelopes: list[Envelope]) -> None:
        if envelopes:
            await self._outbox.publish_committed(db, envelopes)
        for job in self._jobs:
            await _queue(jobs, job)
        for callback in self._after_commit:
            try:
                await callback()
            except Exception as exc:
                name = getattr(callback, "__qualname__", repr(callback))
                log.warning("after_commit_failed", callback=name, error=repr(exc))


async def _queue(jobs: ArqRedis, job: _Job) -> None:
    """Queue one job; Redis failing is logged (the service's sweep catches the job later)."""
    try:
        await jobs.enqueue_job(
            job.function.__name__, *job.args, _defer_until=job.at, _job_id=job.job_id
        )
    except Exception as exc:
        log.warning(
            "job_schedule_failed", job=job.function.__name__, job_id=job.job_id, error=repr(exc)
        )


@asynccontextmanager
async def unit_of_work(
    db: Database,
    outbox: Outbox,
    processed: Table,
    jobs: ArqRedis,
    *,
    handling: str | None = None,
) -> AsyncIterator[UnitOfWork]:
    """A transaction, then what it left to do (see the module); ``handling``: the id of the
    consumed event it handles, ``Repeated`` when that was handled before."""
    async with db.session() as session:
        async with session.begin():
            if handling is not None and not await first_delivery(session, processed, handling):
                raise Repeated(handling)
            work = UnitOfWork(session, outbox, processed)
            yield work
        envelopes = pending(session)
    await work._committed(db, jobs, envelopes)
