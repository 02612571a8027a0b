"""The routing worker: expiry jobs deferred to their time, run by a burst worker."""

import uuid
from collections.abc import AsyncIterator

import pytest_asyncio

from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.settings import Settings
from switchboard.core.testing import run_jobs
from switchboard.core.testing.plugin import delete_prefix
from switchboard.routing.jobs import WorkerSettings
from switchboard.routing.store.models import Account, Base
from switchboard.routing.transfers.service.transfers import request_transfer

from .conftest import FloorKit


@pytest_asyncio.fixture(loop_scope="session")
async def jobs_kit(sb_settings: Settings) -> AsyncIterator[FloorKit]:
    """A runtime with a job queue (and streams) of its own."""
    settings = sb_settings.model_copy(
        update={"key_prefix": f"{sb_settings.key_prefix}-rjobs-{uuid.uuid4().hex[:6]}"}
    )
    runtime = DatabaseRuntime("routing", settings, Base.metadata)
    yield FloorKit(runtime)
    await delete_prefix(runtime.redis, settings.key_prefix)
    await runtime.close()


async def test_an_unanswered_transfer_and_offer_expire_by_their_jobs(jobs_kit: FloorKit) -> None:
    admin = await jobs_kit.new_account()
    async with jobs_kit.runtime.work() as work:
        session = work.session
        account = await session.get(Account, admin.account_id)
        assert account is not None
        account.transfer_timeout_seconds = 1
        account.offer_timeout_seconds = 1
    inbox_id = await jobs_kit.inbox(admin.account_id)
    owner = await jobs_kit.online_agent(admin.account_id, inbox_id=inbox_id)
    conversation = await jobs_kit.open_conversation(admin.account_id, inbox_id)
    target = await jobs_kit.online_agent(admin.account_id)
    transfer = await request_transfer(
        jobs_kit.runtime,
        account_id=admin.account_id,
        requester_id=owner.id,
        conversation_id=conversation,
        to_agent_id=target.id,
        to_team_id=None,
    )
    broadcast = await jobs_kit.inbox(admin.account_id, strategy="broadcast")
    offered = await jobs_kit.online_agent(admin.account_id, inbox_id=broadcast)
    await jobs_kit.open_conversation(admin.account_id, broadcast)
    # Gone before the offer runs out: nobody to offer it to again, so the worker's queue empties.
    await jobs_kit.handle(jobs_kit.presence_event(offered, online=False))

    worker = await run_jobs(WorkerSettings, jobs_kit.runtime)

    assert worker.jobs_failed == 0 and worker.jobs_complete >= 2
    (expired,) = await jobs_kit.routing_events(admin.account_id, "transfer.expired")
    assert expired.data["transfer_id"] == str(transfer.id)
    assert await jobs_kit.assignee(conversation) == owner.id
    withdrawn = await jobs_kit.routing_events(admin.account_id, "offer.withdrawn")
    assert withdrawn and withdrawn[0].data["reason"] == "expired"
