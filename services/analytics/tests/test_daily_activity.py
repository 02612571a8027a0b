"""Analytics counts conversations and messages per account and UTC day."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest_asyncio
from fastapi import FastAPI

from switchboard.analytics.app import create_app
from switchboard.analytics.domain.counting import Increment, increment_for, summed
from switchboard.analytics.events.handlers import build_batch_handler, handlers
from switchboard.contracts.chat import ConversationCreated, Message, MessageCreated
from switchboard.contracts.event import Event
from switchboard.contracts.gateway import TypingChanged
from switchboard.core.auth import Principal, Role
from switchboard.core.events import Envelope
from switchboard.core.settings import Settings
from switchboard.core.testing import a_conversation, bearer, token_for


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def analytics_app(sb_settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(sb_settings)
    async with app.router.lifespan_context(app):
        yield app


@dataclass
class Daily:
    """``GET /v1/analytics/daily`` of an account, as an agent of the role asked."""

    app: FastAPI
    settings: Settings
    account_id: uuid.UUID

    async def __call__(
        self, role: Role, start: str | None = None, end: str | None = None
    ) -> httpx.Response:
        principal = Principal(kind="agent", id=uuid.uuid4(), account_id=self.account_id, role=role)
        headers = bearer(token_for(self.settings, principal, ttl_seconds=60))
        params = {"from": start, "to": end} if start and end else None
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/v1/analytics/daily", params=params, headers=headers)


def event(event_type: str, account_id: uuid.UUID, at: datetime) -> Envelope:
    """A ``conversation.created``, ``message.created`` or ``typing`` that happened ``at``."""
    conversation = a_conversation(at)
    message = Message(
        id=uuid.uuid4(),
        conversation_id=conversation.id,
        sender_type="visitor",
        sender_id=conversation.visitor_id,
        content="hello",
        private=False,
        client_message_id=None,
        created_at=at,
    )
    payloads: dict[str, Event] = {
        "conversation.created": ConversationCreated(conversation=conversation),
        "message.created": MessageCreated(
            conversation_id=conversation.id, inbox_id=conversation.inbox_id, message=message
        ),
        "typing": TypingChanged(
            conversation_id=conversation.id,
            sender_type="visitor",
            sender_id=conversation.visitor_id,
            typing=True,
        ),
    }
    envelope = Envelope.of(payloads[event_type], account_id=account_id, key=conversation.id)
    return envelope.model_copy(update={"occurred_at": at})


def test_only_conversations_and_messages_count() -> None:
    at = datetime(2026, 11, 29, 23, 59, tzinfo=UTC)
    increment = increment_for("message.created", at)
    assert increment is not None and increment.messages == 1 and increment.day == at.date()
    assert increment_for("typing", at) is None


async def test_events_are_counted_once_per_day_and_account(
    analytics_app: FastAPI, sb_settings: Settings
) -> None:
    handle = handlers.handler(analytics_app.state.runtime)
    account, other = uuid.uuid4(), uuid.uuid4()
    day1 = datetime(2026, 11, 28, 10, tzinfo=UTC)
    day2 = datetime(2026, 11, 29, 10, tzinfo=UTC)
    created = event("conversation.created", account, day1)
    for envelope in (
        created,
        created,  # delivered twice: counted once
        event("message.created", account, day1),
        event("message.created", account, day2),
        event("message.created", other, day2),
    ):
        await handle(envelope)

    daily = Daily(analytics_app, sb_settings, account)
    response = await daily(Role.supervisor, "2026-11-28", "2026-11-29")
    assert response.status_code == 200
    assert response.json()["items"] == [
        {"day": "2026-11-28", "conversations": 1, "messages": 1},
        {"day": "2026-11-29", "conversations": 0, "messages": 1},
    ]
    forbidden = await daily(Role.agent)
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "forbidden"
    reversed_range = await daily(Role.admin, "2026-11-29", "2026-11-28")
    assert reversed_range.status_code == 400
    assert reversed_range.json()["error"]["code"] == "invalid_range"


def test_increments_add_up_per_account_and_day() -> None:
    day = datetime(2026, 11, 29, tzinfo=UTC).date()
    totals = summed(
        [
            ("a", Increment(day=day, messages=1)),
            ("a", Increment(day=day, conversations=1)),
            ("a", Increment(day=day, messages=1)),
            ("b", Increment(day=day, messages=1)),
        ]
    )
    assert totals == {
        ("a", day): Increment(day=day, conversations=1, messages=2),
        ("b", day): Increment(day=day, messages=1),
    }


async def test_a_batch_counts_like_one_by_one(
    analytics_app: FastAPI, sb_settings: Settings
) -> None:
    runtime = analytics_app.state.runtime
    handle_batch, handle = build_batch_handler(runtime), handlers.handler(runtime)
    account = uuid.uuid4()
    day = datetime(2026, 11, 27, 10, tzinfo=UTC)
    created = event("conversation.created", account, day)
    message = event("message.created", account, day)
    await handle(message)  # already counted before the batch arrives
    await handle_batch(
        [
            created,
            created,  # twice in the same batch: once
            message,  # handled before: not again
            event("message.created", account, day),
            event("message.created", account, day),
            event("typing", account, day),
        ]
    )
    await handle_batch([created])  # redelivered batch: nothing new

    response = await Daily(analytics_app, sb_settings, account)(
        Role.supervisor, "2026-11-27", "2026-11-27"
    )
    assert response.json()["items"] == [{"day": "2026-11-27", "conversations": 1, "messages": 3}]
