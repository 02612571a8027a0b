"""Conversations read together are handled side by side: each is assigned once, the queue
stays in order, nobody goes above capacity, and a conversation with an agent free waits in
no queue at all."""

import asyncio
from collections import Counter
from datetime import timedelta
from uuid import UUID

from sqlalchemy import select

from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.events.handlers import build_batch_handler
from switchboard.routing.store.models import Assignment, Base, QueuedConversation, QueuePosition

from .conftest import status_changed


async def _rows(kit, model, account_id) -> list:
    async with kit.runtime.db.session() as session:
        return list(await session.scalars(select(model).where(model.account_id == account_id)))


async def test_reads_of_many_conversations_fill_agents_to_capacity_exactly_once(
    floor_kit, sb_settings
):
    admin = await floor_kit.new_account()
    await floor_kit.set_capacity(admin.account_id, 3)
    inbox_id, agents = await floor_kit.staffed_inbox(admin.account_id, agents=8)
    events = floor_kit.arrivals(
        admin.account_id, inbox_id, 40, since=utcnow() - timedelta(minutes=5)
    )
    # Two routing processes, each handling reads of 20 (one conversation key each).
    first = DatabaseRuntime("routing", sb_settings, Base.metadata)
    second = DatabaseRuntime("routing", sb_settings, Base.metadata)
    try:
        batches = [build_batch_handler(first), build_batch_handler(second)]
        await asyncio.gather(batches[0](events[:20]), batches[1](events[20:]))
    finally:
        await first.close()
        await second.close()

    assigned = {
        a.conversation_id: a.agent_id for a in await _rows(floor_kit, Assignment, admin.account_id)
    }
    queued = [
        q.conversation_id for q in await _rows(floor_kit, QueuedConversation, admin.account_id)
    ]
    every = {UUID(e.data["conversation"]["id"]) for e in events}
    assert len(assigned) == 24 and set(assigned) | set(queued) == every
    assert not set(assigned) & set(queued)
    assert Counter(assigned.values()) == dict.fromkeys((a.id for a in agents), 3)
    published = Counter(c for c, _ in await floor_kit.assignments(admin.account_id))
    assert set(published.values()) == {1} and len(published) == 24
    # The 16 left wait in the order they came, and their visitors know their places.
    order = [UUID(e.data["conversation"]["id"]) for e in events]
    waiting = [c for c in order if c in set(queued)]
    positions = {
        p.conversation_id: p.position
        for p in await _rows(floor_kit, QueuePosition, admin.account_id)
    }
    assert positions == {c: n for n, c in enumerate(waiting, start=1)}


async def test_a_conversation_with_a_free_agent_is_assigned_without_a_queue_position(floor_kit):
    admin, inbox_id = await floor_kit.account_with_inbox()
    agent = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)

    conversation = await floor_kit.open_conversation(admin.account_id, inbox_id)

    assert await floor_kit.assignee(conversation) == agent.id
    assert await _rows(floor_kit, QueuedConversation, admin.account_id) == []
    assert await _rows(floor_kit, QueuePosition, admin.account_id) == []
    assert await floor_kit.events_of(admin.account_id, "queue.position_changed") == []


async def test_an_agent_freed_by_a_resolve_in_the_same_read_takes_the_next_in_line(floor_kit):
    admin = await floor_kit.new_account()
    await floor_kit.set_capacity(admin.account_id, 1)
    inbox_id = await floor_kit.inbox(admin.account_id)
    agent = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
    first = await floor_kit.open_conversation(admin.account_id, inbox_id)
    second = floor_kit.conversation_created(admin.account_id, inbox_id)
    handle_batch = build_batch_handler(floor_kit.runtime)

    await handle_batch([second, status_changed(admin.account_id, inbox_id, first, "resolved")])

    assert await floor_kit.assignee(UUID(second.data["conversation"]["id"])) == agent.id
    assert await _rows(floor_kit, QueuedConversation, admin.account_id) == []
