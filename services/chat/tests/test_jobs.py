"""Snooze wake-ups: an arq job deferred to snoozed_until, run by a burst worker."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest_asyncio

from switchboard.chat.app import create_app
from switchboard.chat.jobs import WorkerSettings
from switchboard.chat.service.conversations import wake_conversation, wake_overdue_conversations
from switchboard.chat.store.models import Conversation
from switchboard.core.settings import Settings
from switchboard.core.testing import run_jobs, serving
from switchboard.core.testing.plugin import delete_prefix

from .conftest import ChatAccount, ChatService


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def chat_service(sb_settings: Settings) -> AsyncIterator[ChatService]:
    """An app with a job queue of its own: a burst worker runs until its queue is empty."""
    settings = sb_settings.model_copy(
        update={"key_prefix": f"{sb_settings.key_prefix}-jobs-{uuid.uuid4().hex[:6]}"}
    )
    app = create_app(settings)
    async with serving(app) as client:
        yield ChatService(app=app, client=client, settings=settings)
        await delete_prefix(app.state.runtime.redis, settings.key_prefix)


async def snooze(account: ChatAccount, conversation_id: str, until: datetime) -> None:
    response = await account.client.patch(
        f"/v1/conversations/{conversation_id}",
        json={"status": "snoozed", "snoozed_until": until.isoformat()},
        headers=account.agent,
    )
    assert response.status_code == 200, response.text


async def status_of(account: ChatAccount, conversation_id: str) -> str:
    response = await account.client.get(
        f"/v1/conversations/{conversation_id}", headers=account.agent
    )
    status: str = response.json()["status"]
    return status


async def test_a_snoozed_conversation_wakes_up_when_its_time_comes(
    chat_account: ChatAccount,
) -> None:
    service = chat_account.service
    visitor_id, visitor = await chat_account.create_visitor()
    cid = (await chat_account.open_conversation(visitor, "call me back"))["id"]
    await snooze(chat_account, cid, datetime.now(UTC) + timedelta(seconds=1))

    worker = await run_jobs(WorkerSettings, service.runtime)
    assert (worker.jobs_complete, worker.jobs_failed) == (1, 0)

    assert await status_of(chat_account, cid) == "open"
    changes = [e for e in await chat_account.events("conversation.status_changed") if e.key == cid]
    assert [(e.data["previous_status"], e.data["status"]) for e in changes] == [
        ("open", "snoozed"),
        ("snoozed", "open"),
    ]
    assert f"visitor:{visitor_id}" in changes[-1].audience


async def test_a_wake_up_for_an_older_snooze_does_nothing(chat_account: ChatAccount) -> None:
    runtime = chat_account.service.runtime
    _, visitor = await chat_account.create_visitor()
    cid = (await chat_account.open_conversation(visitor, "later"))["id"]
    first = datetime.now(UTC) + timedelta(hours=1)
    await snooze(chat_account, cid, first)
    await snooze(chat_account, cid, first + timedelta(hours=1))
    woke = await wake_conversation(
        runtime, account_id=chat_account.id, conversation_id=uuid.UUID(cid), scheduled_for=first
    )
    assert not woke
    assert await status_of(chat_account, cid) == "snoozed"

    await chat_account.client.patch(
        f"/v1/conversations/{cid}", json={"status": "resolved"}, headers=chat_account.agent
    )
    woke = await wake_conversation(
        runtime,
        account_id=chat_account.id,
        conversation_id=uuid.UUID(cid),
        scheduled_for=first + timedelta(hours=1),
    )
    assert not woke
    assert await status_of(chat_account, cid) == "resolved"


async def test_overdue_snoozes_are_woken_by_the_sweep(chat_account: ChatAccount) -> None:
    runtime = chat_account.service.runtime
    _, visitor = await chat_account.create_visitor()
    cid = (await chat_account.open_conversation(visitor, "lost job"))["id"]
    await snooze(chat_account, cid, datetime.now(UTC) + timedelta(hours=1))
    async with runtime.work() as work:  # as if its job had been lost long ago
        session = work.session
        conversation = await session.get(Conversation, uuid.UUID(cid))
        assert conversation is not None
        conversation.snoozed_until = datetime.now(UTC) - timedelta(minutes=5)
    assert await wake_overdue_conversations(runtime) >= 1
    assert await status_of(chat_account, cid) == "open"
