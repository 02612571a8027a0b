"""The unassigned queue and automatic assignment, driven by the consumed events."""

import asyncio
import uuid
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from switchboard.contracts.chat import ConversationAssigned, ConversationCreated
from switchboard.core.events import Envelope, utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.domain.availability import AgentStatus
from switchboard.routing.assignment.service.availability import set_availability
from switchboard.routing.events.handlers import handlers
from switchboard.routing.store.models import Assignment, Base, QueuedConversation

from .conftest import SeededAgent


async def queued_ids(kit, account_id) -> list[str]:
    return [str(c) for c in await kit.queued(account_id)]


def conversation_id(event: Envelope) -> str:
    value: str = event.data["conversation"]["id"]
    return value


def assignment_of(event: Envelope, agent: SeededAgent) -> tuple[str, str]:
    """The assignment of the conversation ``event`` created to ``agent``, as ``assignments``
    lists it."""
    return conversation_id(event), str(agent.id)


def assigned_in_chat(created: Envelope, assignee_id: uuid.UUID) -> Envelope:
    """Chat's ``conversation.assigned`` of the conversation ``created`` announced."""
    conversation = created.payload(ConversationCreated).conversation
    assigned = ConversationAssigned(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        assignee_id=assignee_id,
        previous_assignee_id=None,
        reason="manual",
        conversation=conversation.model_copy(update={"assignee_id": assignee_id}),
    )
    return Envelope.of(assigned, account_id=created.account_id, key=conversation.id)


class TestAssignment:
    async def test_the_one_eligible_agent_gets_the_conversation(self, routing_kit):
        admin = await routing_kit.new_account()
        inbox_id = uuid.uuid4()
        agent = await routing_kit.eligible_member(admin.account_id, inbox_id)
        event = routing_kit.conversation_created(admin.account_id, inbox_id)

        await routing_kit.handle(event)

        created = await routing_kit.routing_events(admin.account_id, "assignment.created")
        assert [e.data for e in created] == [
            {
                "conversation_id": conversation_id(event),
                "inbox_id": str(inbox_id),
                "agent_id": str(agent.id),
                "previous_agent_id": None,
                "reason": "auto",
                "by_agent_id": None,
            }
        ]
        assert created[0].audience == []
        assert created[0].key == conversation_id(event)
        assert await queued_ids(routing_kit, admin.account_id) == []

    async def test_nobody_eligible_leaves_it_queued(self, routing_kit):
        admin = await routing_kit.new_account()
        inbox_id = uuid.uuid4()
        await routing_kit.member(admin.account_id, inbox_id, online=False)
        await routing_kit.eligible_member(admin.account_id, inbox_id, connected=False)
        await routing_kit.member(admin.account_id, inbox_id, accept=False)
        # Eligible, but a member of another inbox only.
        await routing_kit.eligible_member(admin.account_id, uuid.uuid4())
        event = routing_kit.conversation_created(admin.account_id, inbox_id)

        await routing_kit.handle(event)

        assert await routing_kit.assignments(admin.account_id) == []
        assert await queued_ids(routing_kit, admin.account_id) == [conversation_id(event)]

    async def test_a_connecting_agent_gets_the_waiting_conversations_oldest_first(
        self, routing_kit
    ):
        admin = await routing_kit.new_account()
        inbox_id, other_inbox = uuid.uuid4(), uuid.uuid4()
        agent = await routing_kit.eligible_member(admin.account_id, inbox_id, connected=False)
        await routing_kit.add_member(agent, other_inbox)
        start = utcnow() - timedelta(minutes=5)
        older = routing_kit.conversation_created(admin.account_id, other_inbox, at=start)
        newer = routing_kit.conversation_created(
            admin.account_id, inbox_id, at=start + timedelta(seconds=1)
        )
        for event in (newer, older):
            await routing_kit.handle(event)
        assert await routing_kit.assignments(admin.account_id) == []

        await routing_kit.handle(routing_kit.presence_event(agent, online=True))

        assert await routing_kit.assignments(admin.account_id) == [
            (conversation_id(older), str(agent.id)),
            (conversation_id(newer), str(agent.id)),
        ]
        assert await queued_ids(routing_kit, admin.account_id) == []

    async def test_round_robin_alternates_between_eligible_agents(self, routing_kit):
        admin = await routing_kit.new_account()
        inbox_id = uuid.uuid4()
        first = await routing_kit.eligible_member(admin.account_id, inbox_id)
        second = await routing_kit.eligible_member(admin.account_id, inbox_id)
        low, high = sorted([str(first.id), str(second.id)], key=uuid.UUID)

        for _ in range(4):
            await routing_kit.handle(routing_kit.conversation_created(admin.account_id, inbox_id))

        agents = [agent for _, agent in await routing_kit.assignments(admin.account_id)]
        assert agents == [low, high, low, high]

    async def test_a_redelivered_event_assigns_once(self, routing_kit):
        admin = await routing_kit.new_account()
        inbox_id = uuid.uuid4()
        await routing_kit.eligible_member(admin.account_id, inbox_id)
        await routing_kit.eligible_member(admin.account_id, inbox_id)
        event = routing_kit.conversation_created(admin.account_id, inbox_id)

        await routing_kit.handle(event)
        await routing_kit.handle(event)

        assert len(await routing_kit.assignments(admin.account_id)) == 1
        assert await queued_ids(routing_kit, admin.account_id) == []

    async def test_an_agent_going_online_drains_its_inboxes(self, routing_kit):
        admin = await routing_kit.new_account()
        inbox_id = uuid.uuid4()
        agent = await routing_kit.member(admin.account_id, inbox_id, online=False)
        event = routing_kit.conversation_created(admin.account_id, inbox_id)
        await routing_kit.handle(event)
        assert await routing_kit.assignments(admin.account_id) == []

        await routing_kit.go_online(agent)

        assert await routing_kit.assignments(admin.account_id) == [assignment_of(event, agent)]

    async def test_adding_a_member_drains_the_inbox(self, routing_kit):
        admin = await routing_kit.new_account()
        inbox_id = uuid.uuid4()
        agent = await routing_kit.new_agent(admin.account_id)
        await routing_kit.add_member(agent, uuid.uuid4())
        await routing_kit.go_online(agent)
        await routing_kit.handle(routing_kit.presence_event(agent, online=True))
        event = routing_kit.conversation_created(admin.account_id, inbox_id)
        await routing_kit.handle(event)
        assert await routing_kit.assignments(admin.account_id) == []

        await routing_kit.add_member(agent, inbox_id)

        assert await routing_kit.assignments(admin.account_id) == [assignment_of(event, agent)]

    async def test_going_away_or_busy_stops_assignments(self, routing_kit):
        admin = await routing_kit.new_account()
        inbox_id = uuid.uuid4()
        away = await routing_kit.eligible_member(admin.account_id, inbox_id)
        busy = await routing_kit.eligible_member(admin.account_id, inbox_id)
        await routing_kit.handle(routing_kit.presence_event(away, online=False))
        await set_availability(
            routing_kit.runtime,
            account_id=busy.account_id,
            agent_id=busy.id,
            status=AgentStatus.busy,
        )

        await routing_kit.handle(routing_kit.conversation_created(admin.account_id, inbox_id))

        assert await routing_kit.assignments(admin.account_id) == []

    async def test_a_late_presence_event_does_not_undo_a_newer_one(self, routing_kit):
        admin = await routing_kit.new_account()
        inbox_id = uuid.uuid4()
        agent = await routing_kit.eligible_member(admin.account_id, inbox_id, connected=False)
        now = utcnow()
        await routing_kit.handle(routing_kit.presence_event(agent, online=True, at=now))
        stale = routing_kit.presence_event(agent, online=False, at=now - timedelta(seconds=5))
        await routing_kit.handle(stale)

        event = routing_kit.conversation_created(admin.account_id, inbox_id)
        await routing_kit.handle(event)

        assert await routing_kit.assignments(admin.account_id) == [assignment_of(event, agent)]

    async def test_chats_echo_of_an_assignment_changes_nothing(self, routing_kit):
        admin = await routing_kit.new_account()
        inbox_id = uuid.uuid4()
        event = routing_kit.conversation_created(admin.account_id, inbox_id)
        await routing_kit.handle(event)
        echo = assigned_in_chat(event, admin.id)
        await routing_kit.handle(echo)

        # Routing owns assignments: the conversation still waits for an agent.
        assert await queued_ids(routing_kit, admin.account_id) == [conversation_id(event)]

    async def test_a_conversation_unknown_to_routing_assigned_in_chat_is_recorded(
        self, routing_kit
    ):
        admin = await routing_kit.new_account()
        inbox_id = uuid.uuid4()
        event = routing_kit.conversation_created(admin.account_id, inbox_id)
        async with routing_kit.runtime.work() as work:
            session = work.session
            await session.execute(
                QueuedConversation.__table__.insert().values(
                    conversation_id=uuid.UUID(conversation_id(event)),
                    account_id=admin.account_id,
                    inbox_id=inbox_id,
                    queued_at=utcnow(),
                )
            )

        assigned = assigned_in_chat(event, admin.id)
        await routing_kit.handle(assigned)
        await routing_kit.eligible_member(admin.account_id, inbox_id)

        assert await queued_ids(routing_kit, admin.account_id) == []
        assert await routing_kit.assignments(admin.account_id) == []


class TestConcurrency:
    async def test_two_routing_processes_assign_each_conversation_exactly_once(
        self, routing_kit, sb_settings
    ):
        admin = await routing_kit.new_account()
        await routing_kit.set_capacity(admin.account_id, 10)
        inbox_id = uuid.uuid4()
        agents = {
            str((await routing_kit.eligible_member(admin.account_id, inbox_id)).id)
            for _ in range(3)
        }
        events = [routing_kit.conversation_created(admin.account_id, inbox_id) for _ in range(30)]
        first = DatabaseRuntime("routing", sb_settings, Base.metadata)
        second = DatabaseRuntime("routing", sb_settings, Base.metadata)
        try:
            handles = [handlers.handler(first), handlers.handler(second)]
            await asyncio.gather(*(handles[index % 2](event) for index, event in enumerate(events)))
        finally:
            await first.close()
            await second.close()

        made = await routing_kit.assignments(admin.account_id)
        per_conversation = Counter(conversation for conversation, _ in made)
        assert set(per_conversation) == {conversation_id(e) for e in events}
        assert set(per_conversation.values()) == {1}
        assert {agent for _, agent in made} <= agents
        assert await queued_ids(routing_kit, admin.account_id) == []
        async with routing_kit.runtime.db.session() as session:
            stored = await session.scalar(
                select(func.count())
                .select_from(Assignment)
                .where(Assignment.account_id == admin.account_id)
            )
        assert stored == 30
