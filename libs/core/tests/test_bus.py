"""The bus against a real Redis: at least once, reclaim, dead letters."""

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

import orjson

from switchboard.core.bus import Bus, Consumer
from switchboard.core.events import Envelope


def envelope(n: int) -> Envelope:
    return Envelope(type="test.happened", account_id="acc", source="test", key="k", data={"n": n})


async def test_entries_of_a_consumer_killed_before_ack_are_reclaimed_by_another(bus: Bus) -> None:
    seen_by_first: list[int] = []
    seen_by_second: list[int] = []

    async def first_handler(event: Envelope) -> None:
        seen_by_first.append(event.data["n"])
        raise asyncio.CancelledError  # the process dies in the middle of the handler

    async def second_handler(event: Envelope) -> None:
        seen_by_second.append(event.data["n"])

    common: dict[str, Any] = {
        "group": "g",
        "sources": ["svc"],
        "reclaim_idle_ms": 50,
        "block_ms": 10,
    }
    first = Consumer(bus, name="first", handler=first_handler, **common)
    second = Consumer(bus, name="second", handler=second_handler, **common)
    await first.ensure_groups()
    await bus.publish("svc", envelope(1))

    try:
        await first.read_once()
    except asyncio.CancelledError:
        pass
    assert seen_by_first == [1]
    assert await second.read_once() == 0  # nothing new: the entry is pending with "first"

    await asyncio.sleep(0.1)
    assert await second.reclaim_once() == 1
    assert seen_by_second == [1]
    pending = await bus.redis.xpending(bus.stream("svc"), "g")
    assert pending["pending"] == 0


async def test_a_handler_that_keeps_failing_lands_in_the_dead_letter_stream(bus: Bus) -> None:
    attempts = 0

    async def failing(event: Envelope) -> None:
        nonlocal attempts
        attempts += 1
        raise RuntimeError("CRM is down")

    consumer = Consumer(
        bus,
        group="g",
        name="c",
        sources=["svc"],
        handler=failing,
        reclaim_idle_ms=1,
        block_ms=10,
        max_deliveries=3,
    )
    await consumer.ensure_groups()
    published = envelope(7)
    await bus.publish("svc", published)
    await consumer.read_once()
    for _ in range(5):
        await asyncio.sleep(0.01)
        await consumer.reclaim_once()

    assert attempts == 3
    dead = await bus.redis.xrange(bus.dead_letter_stream)
    assert len(dead) == 1
    meta = orjson.loads(dead[0][1][b"meta"])
    assert meta["group"] == "g" and meta["deliveries"] == 3
    assert "CRM is down" in meta["error"]
    assert Envelope.decode(dead[0][1][b"e"]).id == published.id
    assert (await bus.redis.xpending(bus.stream("svc"), "g"))["pending"] == 0


async def test_a_group_created_after_publishing_still_reads_earlier_events(bus: Bus) -> None:
    received: list[int] = []

    async def handler(event: Envelope) -> None:
        received.append(event.data["n"])

    await bus.publish_many("svc", [envelope(1), envelope(2)])
    consumer = Consumer(bus, group="late", name="c", sources=["svc"], handler=handler, block_ms=10)
    await consumer.ensure_groups()
    await consumer.read_once()
    assert received == [1, 2]


async def test_an_undecodable_entry_goes_straight_to_the_dead_letter_stream(bus: Bus) -> None:
    async def handler(event: Envelope) -> None:
        raise AssertionError("never called")

    consumer = Consumer(bus, group="g", name="c", sources=["svc"], handler=handler, block_ms=10)
    await consumer.ensure_groups()
    await bus.redis.xadd(bus.stream("svc"), {b"e": b"not json"})
    await consumer.read_once()
    assert len(await bus.redis.xrange(bus.dead_letter_stream)) == 1


async def test_a_batch_handler_takes_a_read_at_once_and_acks_it(bus: Bus) -> None:
    batches: list[list[int]] = []

    async def one(event: Envelope) -> None:
        raise AssertionError("the batch handler took them")

    async def many(events: Sequence[Envelope]) -> None:
        batches.append([event.data["n"] for event in events])

    consumer = Consumer(
        bus, group="g", name="c", sources=["svc"], handler=one, batch_handler=many, block_ms=10
    )
    await consumer.ensure_groups()
    await bus.publish_many("svc", [envelope(1), envelope(2), envelope(3)])
    assert await consumer.read_once() == 3
    assert batches == [[1, 2, 3]]
    assert (await bus.redis.xpending(bus.stream("svc"), "g"))["pending"] == 0


async def test_a_failed_batch_falls_back_to_one_by_one(bus: Bus) -> None:
    handled: list[int] = []

    async def one(event: Envelope) -> None:
        if event.data["n"] == 2:
            raise RuntimeError("poison")
        handled.append(event.data["n"])

    async def many(events: Sequence[Envelope]) -> None:
        raise RuntimeError("the batch fails as a whole")

    consumer = Consumer(
        bus, group="g", name="c", sources=["svc"], handler=one, batch_handler=many, block_ms=10
    )
    await consumer.ensure_groups()
    await bus.publish_many("svc", [envelope(1), envelope(2), envelope(3)])
    await consumer.read_once()
    assert handled == [1, 3]
    pending = await bus.redis.xpending_range(bus.stream("svc"), "g", min="-", max="+", count=10)
    assert len(pending) == 1  # only the poison entry waits for a retry
    errors = await bus.redis.hgetall(bus.key("errors:g"))  # type: ignore[misc]  # as in Consumer
    assert any(b"poison" in value for value in errors.values())


async def test_a_consumer_goes_on_after_redis_lost_its_streams_and_groups(bus: Bus) -> None:
    """Redis restarted without persistence: the stream and its group are gone, the next publish
    makes the stream again, and the consumer recreates its group instead of hearing NOGROUP
    forever."""
    received: asyncio.Queue[int] = asyncio.Queue()

    async def handler(event: Envelope) -> None:
        received.put_nowait(event.data["n"])

    consumer = Consumer(bus, group="g", name="c", sources=["svc"], handler=handler, block_ms=10)
    running = asyncio.create_task(consumer.run())
    try:
        await bus.publish("svc", envelope(1))
        assert await asyncio.wait_for(received.get(), timeout=5) == 1
        await bus.redis.delete(bus.stream("svc"))  # what a restart without persistence leaves
        await bus.publish("svc", envelope(2))
        assert await asyncio.wait_for(received.get(), timeout=5) == 2
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
