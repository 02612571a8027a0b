"""Chat's organising in routing: the queue drains by chat's priority, and an agent who sets an
unassigned conversation open takes it.

Each test feeds chat's events to routing's handler and reads what a user would notice: who
gets which conversation, in which order, and what routing tells chat.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from switchboard.contracts.chat import ConversationPriorityChanged, ConversationStatusChanged
from switchboard.core.events import Envelope, utcnow

from .conftest import FloorKit, SeededAgent, delivered


def priority_changed(
    account_id: UUID, inbox_id: UUID, conversation_id: UUID, priority: str, by: UUID
) -> Envelope:
    change = ConversationPriorityChanged(
        conversation_id=conversation_id,
        inbox_id=inbox_id,
        priority=priority,
        previous_priority="none",
        changed_by_agent_id=by,
    )
    return delivered(change, account_id=account_id, key=conversation_id)


def set_open_by(
    agent: SeededAgent, inbox_id: UUID, conversation_id: UUID, previous: str = "resolved"
) -> Envelope:
    change = ConversationStatusChanged(
        conversation_id=conversation_id,
        inbox_id=inbox_id,
        status="open",
        previous_status=previous,
        snoozed_until=None,
        assignee_id=None,
        changed_by_agent_id=agent.id,
    )
    return delivered(change, account_id=agent.account_id, key=conversation_id)


async def left(floor_kit: FloorKit, status: str) -> tuple[UUID, UUID, UUID]:
    """A conversation of a new account's inbox (nobody online) set to ``status``: its account,
    inbox and id."""
    admin, inbox_id = await floor_kit.account_with_inbox()
    conversation = await floor_kit.open_conversation(admin.account_id, inbox_id)
    await floor_kit.set_status(admin.account_id, inbox_id, conversation, status)
    return admin.account_id, inbox_id, conversation


class TestPriority:
    async def test_the_queue_drains_by_chat_priority_then_age(self, floor_kit: FloorKit) -> None:
        admin, inbox_id = await floor_kit.account_with_inbox()
        account_id = admin.account_id
        start = utcnow() - timedelta(minutes=5)
        oldest = await floor_kit.open_conversation(account_id, inbox_id, at=start)
        newer = await floor_kit.open_conversation(
            account_id, inbox_id, at=start + timedelta(seconds=1)
        )
        newest = await floor_kit.open_conversation(
            account_id, inbox_id, at=start + timedelta(seconds=2)
        )
        await floor_kit.handle(priority_changed(account_id, inbox_id, newest, "urgent", admin.id))
        await floor_kit.handle(priority_changed(account_id, inbox_id, newer, "low", admin.id))

        await floor_kit.online_agent(account_id, inbox_id=inbox_id)

        assert [c for c, _ in await floor_kit.assignments(account_id)] == [
            str(newest),
            str(newer),
            str(oldest),
        ]

    async def test_a_supervisor_on_the_queue_sets_the_conversation_priority_in_chat(
        self, floor_kit: FloorKit, routing_client
    ) -> None:
        admin, inbox_id = await floor_kit.account_with_inbox()
        start = utcnow() - timedelta(minutes=1)
        first = await floor_kit.open_conversation(admin.account_id, inbox_id, at=start)
        second = await floor_kit.open_conversation(
            admin.account_id, inbox_id, at=start + timedelta(seconds=1)
        )

        bumped = await routing_client.patch(
            f"/v1/queue/{second}", json={"priority": "high"}, headers=admin.headers
        )
        assert bumped.status_code == 200, bumped.text
        assert (bumped.json()["priority"], bumped.json()["position"]) == ("high", 1)
        [told] = await floor_kit.routing_events(admin.account_id, "queue.priority_set")
        assert told.data == {
            "conversation_id": str(second),
            "priority": "high",
            "by_agent_id": str(admin.id),
        }
        assert told.audience == []  # chat tells the sockets, as for its own priority
        # Chat's echo changes nothing more; chat's later change wins.
        await floor_kit.handle(
            priority_changed(admin.account_id, inbox_id, second, "high", admin.id)
        )
        await floor_kit.handle(
            priority_changed(admin.account_id, inbox_id, first, "urgent", admin.id)
        )
        listed = await routing_client.get("/v1/queue", headers=admin.headers)
        assert [(i["conversation_id"], i["priority"]) for i in listed.json()["items"]] == [
            (str(first), "urgent"),
            (str(second), "high"),
        ]
        refused = await routing_client.patch(
            f"/v1/queue/{first}", json={"priority": 3}, headers=admin.headers
        )
        assert refused.status_code == 422  # the names of chat's priorities, not numbers


class TestSetToOpen:
    async def test_an_agent_who_reopens_an_unassigned_conversation_takes_it(
        self, floor_kit: FloorKit
    ) -> None:
        account_id, inbox_id, conversation = await left(floor_kit, "resolved")
        agent = await floor_kit.new_agent(account_id)
        await floor_kit.add_member(agent, inbox_id)  # a member, offline: he acts himself

        await floor_kit.handle(set_open_by(agent, inbox_id, conversation))

        assert await floor_kit.assignee(conversation) == agent.id
        [made] = await floor_kit.routing_events(account_id, "assignment.created")
        assert (made.data["reason"], made.data["by_agent_id"]) == ("manual", str(agent.id))
        assert await floor_kit.queued(account_id) == []

    async def test_a_pending_queued_conversation_set_open_is_taken_off_the_queue(
        self, floor_kit: FloorKit
    ) -> None:
        account_id, inbox_id, conversation = await left(floor_kit, "pending")
        assert await floor_kit.queued(account_id) == [conversation]
        agent = await floor_kit.new_agent(account_id)
        await floor_kit.add_member(agent, inbox_id)

        await floor_kit.handle(set_open_by(agent, inbox_id, conversation, previous="pending"))

        assert await floor_kit.assignee(conversation) == agent.id
        assert await floor_kit.queued(account_id) == []

    async def test_an_agent_who_may_not_take_it_leaves_it_in_the_queue(
        self, floor_kit: FloorKit
    ) -> None:
        account_id, inbox_id, conversation = await left(floor_kit, "resolved")
        outsider = await floor_kit.new_agent(account_id)  # not a member of the inbox
        full = await floor_kit.new_agent(account_id)
        await floor_kit.add_member(full, inbox_id)
        await floor_kit.set_capacity(account_id, 0)

        await floor_kit.handle(set_open_by(outsider, inbox_id, conversation))
        await floor_kit.handle(set_open_by(full, inbox_id, conversation, previous="pending"))

        assert await floor_kit.assignee(conversation) is None
        assert await floor_kit.queued(account_id) == [conversation]
        assert await floor_kit.routing_events(account_id, "assignment.created") == []

    async def test_a_status_change_without_an_agent_assigns_nobody(
        self, floor_kit: FloorKit
    ) -> None:
        account_id, inbox_id, conversation = await left(floor_kit, "resolved")
        await floor_kit.set_status(account_id, inbox_id, conversation, "open")  # a visitor wrote

        assert await floor_kit.queued(account_id) == [conversation]
        assert await floor_kit.routing_events(account_id, "assignment.created") == []
