"""The agents' view of conversations: lists, filters, pages, status changes."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from switchboard.contracts.routing import AgentCreated, AssignmentCreated
from switchboard.core.events import Audience

from .conftest import ChatAccount, error_code


async def walk(account: ChatAccount, path: str, headers: dict[str, str], **params: Any) -> list:
    """Every item of a paged list, following next_cursor."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = params | ({"cursor": cursor} if cursor else {})
        response = await account.client.get(path, params=query, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= params.get("limit", 50)
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def assign(account: ChatAccount, conversation_id: str, agent_id: uuid.UUID) -> None:
    assigned = AssignmentCreated(
        conversation_id=conversation_id,
        inbox_id=account.inbox["id"],
        agent_id=agent_id,
        previous_agent_id=None,
        reason="manual",
    )
    await account.deliver(assigned, key=conversation_id)


async def name_agent(account: ChatAccount, agent_id: uuid.UUID, name: str, email: str) -> None:
    created = AgentCreated(agent_id=agent_id, name=name, email=email, role="agent")
    await account.deliver(created, key=agent_id)


async def patch(account: ChatAccount, conversation_id: str, body: dict[str, Any]):
    return await account.client.patch(
        f"/v1/conversations/{conversation_id}", json=body, headers=account.agent
    )


async def test_pages_walk_every_conversation_once_most_recent_first(
    chat_account: ChatAccount,
) -> None:
    _, visitor = await chat_account.create_visitor()
    opened = [await chat_account.open_conversation(visitor, f"#{n}") for n in range(7)]
    # A message on the oldest conversation makes it the most recently active.
    await chat_account.client.post(
        f"/v1/conversations/{opened[0]['id']}/messages",
        json={"content": "bump"},
        headers=chat_account.agent,
    )
    items = await walk(chat_account, "/v1/conversations", chat_account.agent, limit=3)
    ids = [c["id"] for c in items]
    expected = [opened[0]["id"]] + [c["id"] for c in reversed(opened[1:])]
    assert ids == expected


async def test_filters_by_status_assignee_and_inbox(chat_account: ChatAccount) -> None:
    second_inbox = await chat_account.create_inbox("Second")
    _, visitor = await chat_account.create_visitor()
    mine = await chat_account.open_conversation(visitor, "a")
    nobodys = await chat_account.open_conversation(visitor, "b")
    resolved = await chat_account.open_conversation(visitor, "c")
    someone_elses = await chat_account.open_conversation(visitor, "d")
    await assign(chat_account, mine["id"], chat_account.agent_id)
    await assign(chat_account, someone_elses["id"], uuid.uuid4())
    assert (await patch(chat_account, resolved["id"], {"status": "resolved"})).status_code == 200

    async def ids(**params: Any) -> set[str]:
        items = await walk(chat_account, "/v1/conversations", chat_account.agent, **params)
        return {c["id"] for c in items}

    everything = {c["id"] for c in (mine, nobodys, resolved, someone_elses)}
    assert await ids() == everything
    assert await ids(assignee="me") == {mine["id"]}
    assert await ids(assignee="unassigned") == {nobodys["id"], resolved["id"]}
    assert await ids(status="resolved") == {resolved["id"]}
    assert await ids(status="open", assignee="unassigned") == {nobodys["id"]}
    assert await ids(inbox_id=chat_account.inbox["id"]) == everything
    assert await ids(inbox_id=second_inbox["id"]) == set()


async def test_bad_list_parameters_are_422(chat_account: ChatAccount) -> None:
    for params in ({"status": "closed"}, {"assignee": "them"}, {"limit": 0}, {"limit": 101}):
        response = await chat_account.client.get(
            "/v1/conversations", params=params, headers=chat_account.agent
        )
        assert response.status_code == 422, params
        assert error_code(response) == "validation_error"
    response = await chat_account.client.get(
        "/v1/conversations", params={"cursor": "garbage"}, headers=chat_account.agent
    )
    assert response.status_code == 400
    assert error_code(response) == "invalid_cursor"


async def test_another_accounts_conversation_is_404_everywhere(
    chat_account: ChatAccount, chat_other_account: ChatAccount
) -> None:
    _, visitor = await chat_other_account.create_visitor()
    theirs = await chat_other_account.open_conversation(visitor, "secret")
    path = f"/v1/conversations/{theirs['id']}"
    responses = [
        await chat_account.client.get(path, headers=chat_account.agent),
        await patch(chat_account, theirs["id"], {"status": "resolved"}),
        await chat_account.client.get(f"{path}/messages", headers=chat_account.agent),
        await chat_account.client.post(
            f"{path}/messages", json={"content": "x"}, headers=chat_account.agent
        ),
    ]
    assert [r.status_code for r in responses] == [404] * 4
    assert {error_code(r) for r in responses} == {"conversation_not_found"}
    listed = await walk(chat_account, "/v1/conversations", chat_account.agent)
    assert theirs["id"] not in {c["id"] for c in listed}
    assert await chat_other_account.count_messages_in(theirs["id"]) == 1
    current = await chat_other_account.client.get(path, headers=chat_other_account.agent)
    assert current.json()["status"] == "open"


async def test_the_assignee_is_shown_with_the_projected_name(chat_account: ChatAccount) -> None:
    _, visitor = await chat_account.create_visitor()
    conversation = await chat_account.open_conversation(visitor, "hello")
    unknown = uuid.uuid4()
    await assign(chat_account, conversation["id"], unknown)
    path = f"/v1/conversations/{conversation['id']}"
    response = await chat_account.client.get(path, headers=chat_account.agent)
    assert response.json()["assignee"] == {"id": str(unknown), "name": None}

    await name_agent(chat_account, unknown, "Lan", "lan@example.com")
    response = await chat_account.client.get(path, headers=chat_account.agent)
    assert response.json()["assignee"] == {"id": str(unknown), "name": "Lan"}
    assert response.json()["assignee_id"] == str(unknown)


async def test_status_changes_follow_the_rules(chat_account: ChatAccount) -> None:
    visitor_id, visitor = await chat_account.create_visitor()
    conversation = await chat_account.open_conversation(visitor, "hi")
    await assign(chat_account, conversation["id"], chat_account.agent_id)
    cid = conversation["id"]

    pending = await patch(chat_account, cid, {"status": "pending"})
    assert (pending.status_code, pending.json()["status"]) == (200, "pending")
    again = await patch(chat_account, cid, {"status": "pending"})
    assert (again.status_code, error_code(again)) == (409, "status_unchanged")
    resolved = await patch(chat_account, cid, {"status": "resolved"})
    assert resolved.json()["status"] == "resolved"
    snooze_resolved = await patch(
        chat_account,
        cid,
        {
            "status": "snoozed",
            "snoozed_until": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
        },
    )
    assert (snooze_resolved.status_code, error_code(snooze_resolved)) == (
        409,
        "invalid_transition",
    )

    changes = [e for e in await chat_account.events("conversation.status_changed") if e.key == cid]
    assert [(e.data["previous_status"], e.data["status"]) for e in changes] == [
        ("open", "pending"),
        ("pending", "resolved"),
    ]
    assert changes[0].audience == [
        Audience.agent(chat_account.agent_id),
        Audience.inbox(chat_account.inbox["id"]),
        Audience.visitor(visitor_id),
        "role:supervisor",
    ]
    assert changes[0].data == {
        "conversation_id": cid,
        "inbox_id": chat_account.inbox["id"],
        "status": "pending",
        "previous_status": "open",
        "snoozed_until": None,
        "assignee_id": str(chat_account.agent_id),
        "changed_by_agent_id": str(chat_account.agent_id),
    }


async def test_snooze_times_are_validated(chat_account: ChatAccount) -> None:
    _, visitor = await chat_account.create_visitor()
    cid = (await chat_account.open_conversation(visitor, "hi"))["id"]
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    cases = {
        "snoozed_until_required": {"status": "snoozed"},
        "snoozed_until_in_past": {
            "status": "snoozed",
            "snoozed_until": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
        },
        "snoozed_until_not_allowed": {"status": "pending", "snoozed_until": future},
        "validation_error": {"status": "snoozed", "snoozed_until": "2031-01-01T00:00:00"},
    }
    for code, body in cases.items():
        response = await patch(chat_account, cid, body)
        assert (response.status_code, error_code(response)) == (422, code), body
    for malformed in ({"status": "closed"}, {"status": "open", "assignee_id": None}, {}):
        response = await patch(chat_account, cid, malformed)
        assert (response.status_code, error_code(response)) == (422, "validation_error")
    current = await chat_account.client.get(f"/v1/conversations/{cid}", headers=chat_account.agent)
    assert current.json()["status"] == "open"
    assert not [e for e in await chat_account.events("conversation.status_changed") if e.key == cid]


async def test_a_snooze_carries_its_time_and_can_be_moved(chat_account: ChatAccount) -> None:
    _, visitor = await chat_account.create_visitor()
    cid = (await chat_account.open_conversation(visitor, "hi"))["id"]
    first = datetime.now(UTC) + timedelta(hours=1)
    second = first + timedelta(hours=1)
    response = await patch(
        chat_account, cid, {"status": "snoozed", "snoozed_until": first.isoformat()}
    )
    assert response.status_code == 200
    assert datetime.fromisoformat(response.json()["snoozed_until"]) == first
    moved = await patch(
        chat_account, cid, {"status": "snoozed", "snoozed_until": second.isoformat()}
    )
    assert datetime.fromisoformat(moved.json()["snoozed_until"]) == second
    reopened = await patch(chat_account, cid, {"status": "open"})
    assert reopened.json()["snoozed_until"] is None


async def test_a_listed_conversation_reads_as_the_conversation_itself(
    chat_account: ChatAccount,
) -> None:
    _, visitor = await chat_account.create_visitor()
    silent = await chat_account.open_conversation(visitor)  # no message yet
    named = await chat_account.open_conversation(visitor, "a")
    unknown = await chat_account.open_conversation(visitor, "b")
    snoozed = await chat_account.open_conversation(visitor, "c")
    await assign(chat_account, named["id"], chat_account.agent_id)
    await name_agent(chat_account, chat_account.agent_id, 'Ana Ñ "quoted"', "ana@example.com")
    await assign(chat_account, unknown["id"], uuid.uuid4())
    until = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    await patch(chat_account, snoozed["id"], {"status": "snoozed", "snoozed_until": until})

    listed = await walk(chat_account, "/v1/conversations", chat_account.agent)
    assert len(listed) == 4
    for item in listed:
        path = f"/v1/conversations/{item['id']}"
        detail = (await chat_account.client.get(path, headers=chat_account.agent)).json()
        detail.pop("participants")
        assert list(item) == list(detail)  # same fields, same order
        assert item == detail
    by_id = {item["id"]: item for item in listed}
    assert by_id[silent["id"]]["last_message_at"] is None
    assert by_id[named["id"]]["assignee"]["name"] == 'Ana Ñ "quoted"'
    assert by_id[unknown["id"]]["assignee"]["name"] is None
    assert by_id[snoozed["id"]]["snoozed_until"] is not None

    visitor_list = await walk(chat_account, "/v1/public/conversations", visitor)
    # What an agent's read has that the visitor's does not.
    agents_own = ("priority", "team_id", "labels", "starred", "unread_count")
    assert visitor_list == [
        {key: value for key, value in item.items() if key not in agents_own} for item in listed
    ]
