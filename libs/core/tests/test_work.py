"""The unit of work against real PostgreSQL and Redis: events after the commit, jobs named by
their function, after-commit callbacks in order, a consumed event handled once."""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from switchboard.contracts.chat import InboxCreated
from switchboard.core.db import Database
from switchboard.core.events import Delivery, Envelope, utcnow
from switchboard.core.outbox import Repeated
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.settings import Settings
from switchboard.core.testing import core_schema
from switchboard.core.testing.plugin import delete_prefix


@pytest_asyncio.fixture(loop_scope="session")
async def runtime(sb_settings: Settings, database: Database) -> AsyncIterator[DatabaseRuntime]:
    settings = sb_settings.model_copy(
        update={"key_prefix": f"{sb_settings.key_prefix}-work-{uuid.uuid4().hex[:6]}"}
    )
    async with core_schema(database, "work_test") as metadata:
        runtime = DatabaseRuntime("desk", settings, metadata)
        yield runtime
        await delete_prefix(runtime.redis, settings.key_prefix)
        await runtime.close()


def envelope(key: str = "c") -> Envelope:
    return Envelope(type="desk.opened", account_id="a", source="desk", key=key)


async def published(runtime: DatabaseRuntime) -> list[str]:
    entries = await runtime.redis.xrange(runtime.bus.stream("desk"))
    return [Envelope.decode(fields[b"e"]).id for _, fields in entries]


async def outbox_rows(runtime: DatabaseRuntime) -> int:
    async with runtime.db.session() as session:
        table = runtime.outbox.table
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def ring_the_bell(ctx: dict[str, Any], desk_id: str) -> None:
    """A job of the test's own: only its name is queued, nothing runs it."""


async def test_events_are_published_right_after_commit(runtime: DatabaseRuntime) -> None:
    first, second, third = envelope("1"), envelope("2"), envelope("3")
    async with runtime.work() as work:
        await work.publish(first)
        await work.publish_many([second, third])
        assert await published(runtime) == []  # not before the commit
    assert await published(runtime) == [first.id, second.id, third.id]
    await runtime.outbox.drain_cleanup()
    assert await outbox_rows(runtime) == 0


async def test_a_rolled_back_work_publishes_queues_and_calls_nothing(
    runtime: DatabaseRuntime,
) -> None:
    called: list[str] = []

    async def call() -> None:
        called.append("called")

    with pytest.raises(ValueError, match="the use case failed"):
        async with runtime.work() as work:
            await work.publish(envelope())
            work.later(ring_the_bell, "d-1", at=utcnow(), job_id=f"bell:{uuid.uuid4()}")
            work.after_commit(call)
            raise ValueError("the use case failed")
    assert await published(runtime) == []
    assert await outbox_rows(runtime) == 0
    assert await runtime.jobs.queued_jobs() == []
    assert called == []


async def test_a_job_is_queued_by_its_function_after_the_commit(
    runtime: DatabaseRuntime,
) -> None:
    due = utcnow() + timedelta(hours=1)
    job_id = f"bell:{uuid.uuid4()}"  # arq's job keys are not under the test's prefix
    async with runtime.work() as work:
        work.later(ring_the_bell, "d-7", at=due, job_id=job_id)
        work.later(ring_the_bell, "d-7", at=due, job_id=job_id)  # the same job: once
        assert await runtime.jobs.queued_jobs() == []
    (job,) = await runtime.jobs.queued_jobs()
    assert (job.function, job.args, job.job_id) == ("ring_the_bell", ("d-7",), job_id)
    assert job.score is not None and abs(job.score - due.timestamp() * 1000) < 1000


async def test_after_commit_callbacks_run_in_order_and_a_failure_stops_none(
    runtime: DatabaseRuntime,
) -> None:
    seen: list[str] = []
    event = envelope()

    def callback(name: str, *, fail: bool = False) -> Any:
        async def run() -> None:
            # After the commit and the publish: the change and its event are out.
            seen.append(f"{name}:{await published(runtime) == [event.id]}")
            if fail:
                raise RuntimeError("a callback failed")

        return run

    async with runtime.work() as work:
        await work.publish(event)
        work.after_commit(callback("first"))
        work.after_commit(callback("second", fail=True))
        work.after_commit(callback("third"))
    assert seen == ["first:True", "second:True", "third:True"]


async def test_a_consumed_event_is_handled_once(runtime: DatabaseRuntime) -> None:
    inbox = InboxCreated(inbox_id=uuid.uuid4(), name="Website")
    delivery = Delivery(
        Envelope.of(inbox, account_id=uuid.uuid4(), key=inbox.inbox_id), InboxCreated
    )
    handled: list[str] = []
    async with runtime.work(handling=delivery):
        handled.append("first")
    with pytest.raises(Repeated):
        async with runtime.work(handling=delivery):
            handled.append("again")  # never: the repeat stops before the body
    assert handled == ["first"]

    async with runtime.work() as work:
        fresh = await work.first_deliveries([delivery.id, "another", "another"])
    assert fresh == {"another"}
