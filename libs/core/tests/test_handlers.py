"""Consumed events: typed payloads, one handler per model, each event handled once."""

import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from switchboard.contracts.chat import InboxCreated
from switchboard.contracts.routing import InboxMemberAdded
from switchboard.core.db import Database
from switchboard.core.events import Delivery, Envelope
from switchboard.core.handlers import Handlers
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.settings import Settings
from switchboard.core.testing import core_schema


@pytest_asyncio.fixture(loop_scope="session")
async def runtime(sb_settings: Settings, database: Database) -> AsyncIterator[DatabaseRuntime]:
    async with core_schema(database, "handlers_test") as metadata:
        runtime = DatabaseRuntime("consumer", sb_settings, metadata)
        yield runtime
        await runtime.close()


def inbox_created(name: str = "Website") -> Envelope:
    inbox = InboxCreated(inbox_id=uuid.uuid4(), name=name)
    return Envelope.of(inbox, account_id=uuid.uuid4(), key=inbox.inbox_id)


async def test_a_handler_gets_the_payload_as_its_model(runtime: DatabaseRuntime) -> None:
    handlers = Handlers()
    seen: list[tuple[InboxCreated, uuid.UUID]] = []

    async def record(_: DatabaseRuntime, event: Delivery[InboxCreated]) -> None:
        seen.append((event.data, event.account_id))

    handlers.on(InboxCreated)(record)

    envelope = inbox_created()
    await handlers.handler(runtime)(envelope)

    assert seen == [(envelope.payload(InboxCreated), uuid.UUID(envelope.account_id))]
    assert handlers.sources == ["chat"] and handlers.models == [InboxCreated]


async def test_events_nobody_handles_are_left_alone(runtime: DatabaseRuntime) -> None:
    handlers = Handlers()

    async def refuse(_: DatabaseRuntime, event: Delivery[InboxMemberAdded]) -> None:
        raise AssertionError(event)

    handlers.on(InboxMemberAdded)(refuse)

    await handlers.handler(runtime)(inbox_created())
    # Same type, another producer: not the model's event either.
    stranger = inbox_created().model_copy(update={"source": "tickets"})
    assert handlers.delivery(stranger) is None


async def test_a_repeated_event_changes_things_once(runtime: DatabaseRuntime) -> None:
    handlers = Handlers()
    names: list[str] = []

    async def record(runtime: DatabaseRuntime, event: Delivery[InboxCreated]) -> None:
        async with runtime.work(handling=event):
            names.append(event.data.name)

    handlers.on(InboxCreated)(record)

    handle = handlers.handler(runtime)
    first, second = inbox_created("first"), inbox_created("second")
    for envelope in (first, first, second, first):  # at least once: repeats are acknowledged
        await handle(envelope)
    assert names == ["first", "second"]


async def test_a_failed_handling_is_tried_again(runtime: DatabaseRuntime) -> None:
    handlers = Handlers()
    attempts: list[str] = []

    async def flaky(runtime: DatabaseRuntime, event: Delivery[InboxCreated]) -> None:
        async with runtime.work(handling=event):
            attempts.append(event.id)
            if len(attempts) == 1:
                raise ConnectionError("the database went away")

    handlers.on(InboxCreated)(flaky)

    handle, envelope = handlers.handler(runtime), inbox_created()
    with pytest.raises(ConnectionError):
        await handle(envelope)
    await handle(envelope)  # the record of the first try was rolled back with it
    assert attempts == [envelope.id, envelope.id]


def test_a_model_has_one_handler() -> None:
    handlers = Handlers()

    async def handler(_: DatabaseRuntime, __: Delivery[InboxCreated]) -> None:
        return None

    handlers.on(InboxCreated)(handler)
    with pytest.raises(ValueError, match="has a handler already"):
        handlers.on(InboxCreated)(handler)
