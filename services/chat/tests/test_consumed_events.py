"""routing's events: agent names into the projection, assignments onto conversations."""

import uuid
from typing import Any

from switchboard.chat.events.handlers import handlers
from switchboard.contracts.routing import AgentCreated, AssignmentCreated
from switchboard.core.events import Audience, Envelope
from switchboard.core.testing import eventually

from .conftest import ChatAccount


def assignment(conversation: dict[str, Any], agent_id: uuid.UUID) -> AssignmentCreated:
    return AssignmentCreated(
        conversation_id=conversation["id"],
        inbox_id=conversation["inbox_id"],
        agent_id=agent_id,
        previous_agent_id=None,
        reason="auto",
    )


async def assign(
    account: ChatAccount, conversation: dict[str, Any], agent_id: uuid.UUID, **options: Any
) -> Envelope:
    return await account.deliver(
        assignment(conversation, agent_id), key=conversation["id"], **options
    )


async def conversation(account: ChatAccount, path: str) -> dict[str, Any]:
    response = await account.client.get(f"/v1/conversations/{path}", headers=account.agent)
    body: dict[str, Any] = response.json()
    return body


async def test_an_assignment_sets_the_assignee_and_tells_everyone(
    chat_account: ChatAccount,
) -> None:
    visitor_id, visitor = await chat_account.create_visitor()
    opened = await chat_account.open_conversation(visitor, "help")
    first, second = uuid.uuid4(), uuid.uuid4()

    await assign(chat_account, opened, first)
    assert (await conversation(chat_account, opened["id"]))["assignee_id"] == str(first)
    await assign(chat_account, opened, second, origin="conn-1:r-9")
    current = await conversation(chat_account, opened["id"])
    assert current["assignee_id"] == str(second)

    events = [
        e for e in await chat_account.events("conversation.assigned") if e.key == opened["id"]
    ]
    assert [e.data["assignee_id"] for e in events] == [str(first), str(second)]
    assert events[0].audience == [
        Audience.agent(first),
        Audience.inbox(opened["inbox_id"]),
        Audience.visitor(visitor_id),
        "role:supervisor",
    ]
    assert events[1].audience[:2] == [Audience.agent(second), Audience.agent(first)]
    assert events[1].data["previous_assignee_id"] == str(first)
    assert events[1].data["conversation_id"] == opened["id"]
    assert events[1].data["inbox_id"] == opened["inbox_id"]
    assert events[1].data["conversation"]["assignee_id"] == str(second)
    assert events[1].origin == "conn-1:r-9"
    assert (events[0].origin, events[0].source) == (None, "chat")


async def test_a_redelivered_assignment_changes_nothing(chat_account: ChatAccount) -> None:
    handle = handlers.handler(chat_account.service.runtime)
    _, visitor = await chat_account.create_visitor()
    opened = await chat_account.open_conversation(visitor, "help")
    first = await assign(chat_account, opened, uuid.uuid4())
    await assign(chat_account, opened, uuid.uuid4())
    await handle(first)  # the same event again, after a newer one
    events = [
        e for e in await chat_account.events("conversation.assigned") if e.key == opened["id"]
    ]
    assert len(events) == 2
    assert (await conversation(chat_account, opened["id"]))["assignee_id"] == events[1].data[
        "assignee_id"
    ]


async def test_an_assignment_of_an_unknown_conversation_is_ignored(
    chat_account: ChatAccount, chat_other_account: ChatAccount
) -> None:
    _, visitor = await chat_other_account.create_visitor()
    theirs = await chat_other_account.open_conversation(visitor, "hi")
    # Named in chat_account's account: the other account's conversation must not move.
    await assign(chat_account, theirs, uuid.uuid4())
    ghost = {"id": str(uuid.uuid4()), "inbox_id": chat_account.inbox["id"]}
    await assign(chat_account, ghost, uuid.uuid4())
    current = await chat_other_account.client.get(
        f"/v1/conversations/{theirs['id']}", headers=chat_other_account.agent
    )
    assert current.json()["assignee_id"] is None
    assert await chat_account.events("conversation.assigned") == []


async def test_events_from_routing_arrive_through_the_consumer_group(
    chat_account: ChatAccount,
) -> None:
    runtime = chat_account.service.runtime
    _, visitor = await chat_account.create_visitor()
    opened = await chat_account.open_conversation(visitor, "anyone?")
    agent_id = uuid.uuid4()
    created = AgentCreated(agent_id=agent_id, name="Minh", email="minh@example.com", role="agent")
    for payload in (created, assignment(opened, agent_id)):
        event = Envelope.of(payload, account_id=chat_account.id, key=agent_id)
        await runtime.bus.publish("routing", event)

    current = await eventually(
        lambda: conversation(chat_account, opened["id"]),
        lambda current: current["assignee"] and current["assignee"]["name"],
        what="the assignee and its name",
    )
    assert current["assignee"] == {"id": str(agent_id), "name": "Minh"}
