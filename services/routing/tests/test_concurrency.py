"""Two routing instances on one database and Redis: capacity, offers and transfers hold."""

import asyncio
import contextlib
from collections import Counter
from datetime import timedelta
from uuid import UUID

from sqlalchemy import func, select

from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.testing import serving
from switchboard.routing.app import create_app
from switchboard.routing.assignment.service.drain import drain_every_queue
from switchboard.routing.events.handlers import handlers
from switchboard.routing.store.models import Assignment, Base

from .conftest import status_changed


@contextlib.asynccontextmanager
async def two_runtimes(settings):
    first = DatabaseRuntime("routing", settings, Base.metadata)
    second = DatabaseRuntime("routing", settings, Base.metadata)
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()


@contextlib.asynccontextmanager
async def two_clients(settings):
    """Two routing apps (each with its lifespan), one HTTP client each."""
    async with contextlib.AsyncExitStack() as stack:
        clients = []
        for _ in range(2):
            clients.append(await stack.enter_async_context(serving(create_app(settings))))
        yield clients


async def stored_assignments(kit, account_id) -> dict[UUID, UUID]:
    async with kit.runtime.db.session() as session:
        rows = await session.execute(
            select(Assignment.conversation_id, Assignment.agent_id).where(
                Assignment.account_id == account_id
            )
        )
        return {row[0]: row[1] for row in rows}


async def test_a_burst_of_200_fills_20_agents_to_capacity_and_drains_oldest_first(
    floor_kit, sb_settings
):
    admin = await floor_kit.new_account()
    inbox_id, agents = await floor_kit.staffed_inbox(admin.account_id, agents=20)
    events = floor_kit.arrivals(
        admin.account_id, inbox_id, 200, since=utcnow() - timedelta(hours=1)
    )
    async with two_runtimes(sb_settings) as (first, second):
        handles = [handlers.handler(first), handlers.handler(second)]
        await asyncio.gather(*(handles[n % 2](event) for n, event in enumerate(events)))
        await drain_every_queue(first, account_id=admin.account_id)  # the watchdog's pass

    assigned = await stored_assignments(floor_kit, admin.account_id)
    queued = await floor_kit.queued(admin.account_id)
    every = {UUID(e.data["conversation"]["id"]) for e in events}
    assert set(assigned) | set(queued) == every
    assert not set(assigned) & set(queued)
    per_agent = Counter(assigned.values())
    assert set(per_agent) == {a.id for a in agents}
    assert max(per_agent.values()) == 5 and len(assigned) == 100
    published = Counter(c for c, _ in await floor_kit.assignments(admin.account_id))
    assert set(published.values()) == {1} and len(published) == 100

    # Resolving frees slots: the queue drains oldest first, one conversation per freed slot.
    order = [UUID(e.data["conversation"]["id"]) for e in events]
    waiting = [c for c in order if c in set(queued)]
    resolved = list(assigned)[:10]
    async with two_runtimes(sb_settings) as (first, second):
        handles = [handlers.handler(first), handlers.handler(second)]
        for n, conversation_id in enumerate(resolved):
            await handles[n % 2](
                status_changed(admin.account_id, inbox_id, conversation_id, "resolved")
            )
    now_assigned = await stored_assignments(floor_kit, admin.account_id)
    newly = [c for c in waiting if c in now_assigned]
    assert newly == waiting[:10]
    assert await floor_kit.queued(admin.account_id) == waiting[10:]
    for agent in agents:
        assert await floor_kit.load(agent.id) <= 5


async def test_ten_agents_accepting_one_offer_at_once_make_exactly_one_winner(
    floor_kit, sb_settings
):
    admin, inbox_id = await floor_kit.account_with_inbox(strategy="broadcast")
    agents = [await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id) for _ in range(10)]
    conversation = await floor_kit.open_conversation(admin.account_id, inbox_id)
    (offer,) = await floor_kit.routing_events(admin.account_id, "offer.created")
    url = f"/v1/offers/{offer.data['offer_id']}/accept"

    async with two_clients(sb_settings) as clients:
        answers = await asyncio.gather(
            *(clients[n % 2].post(url, headers=a.headers) for n, a in enumerate(agents))
        )

    statuses = Counter(r.status_code for r in answers)
    assert statuses == {200: 1, 409: 9}
    assert {r.json()["error"]["code"] for r in answers if r.status_code == 409} == {"offer_taken"}
    winner = next(a for a, r in zip(agents, answers, strict=True) if r.status_code == 200)
    assert await floor_kit.assignee(conversation) == winner.id
    assert (
        len(
            await floor_kit.events_of(
                admin.account_id, "assignment.created", conversation_id=conversation
            )
        )
        == 1
    )
    (withdrawn,) = await floor_kit.routing_events(admin.account_id, "offer.withdrawn")
    assert len(withdrawn.audience) == 9


async def test_a_transfer_accepted_while_the_conversation_is_resolved_ends_consistent(
    floor_kit, sb_settings
):
    for _ in range(5):
        admin, inbox_id = await floor_kit.account_with_inbox()
        owner = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        conversation = await floor_kit.open_conversation(admin.account_id, inbox_id)
        target = await floor_kit.online_agent(admin.account_id)
        async with two_clients(sb_settings) as clients, two_runtimes(sb_settings) as runtimes:
            asked = await clients[0].post(
                f"/v1/conversations/{conversation}/transfers",
                json={"to_agent_id": str(target.id)},
                headers=owner.headers,
            )
            transfer_id = asked.json()["id"]
            accept, _ = await asyncio.gather(
                clients[1].post(f"/v1/transfers/{transfer_id}/accept", headers=target.headers),
                handlers.handler(runtimes[0])(
                    status_changed(admin.account_id, inbox_id, conversation, "resolved")
                ),
            )
            history = await clients[0].get(
                f"/v1/conversations/{conversation}/transfers", headers=owner.headers
            )
        (transfer,) = history.json()["items"]
        assignee = await floor_kit.assignee(conversation)
        if accept.status_code == 200:
            assert transfer["status"] == "accepted"
            assert assignee == target.id
        else:
            # Which one depends on who took the lock first: both are the documented 409.
            assert accept.status_code == 409, accept.text
            assert accept.json()["error"]["code"] in {"conversation_closed", "transfer_not_pending"}
            assert transfer["status"] == "cancelled"
            assert assignee == owner.id
        # Resolved either way: nobody carries it as load, and nothing is left pending.
        assert (await floor_kit.load(owner.id), await floor_kit.load(target.id)) == (0, 0)
        async with floor_kit.runtime.db.session() as session:
            stored = await session.scalar(
                select(func.count())
                .select_from(Assignment)
                .where(Assignment.conversation_id == conversation)
            )
        assert stored == 1
