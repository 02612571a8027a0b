"""Messages: pages, idempotent client_message_id, validation, origin of events."""

import asyncio
from typing import Any

from .conftest import ChatAccount, error_code


async def conversation_with_visitor(account: ChatAccount) -> tuple[str, dict[str, str]]:
    _, visitor = await account.create_visitor()
    conversation = await account.open_conversation(visitor)
    return conversation["id"], visitor


async def test_message_pages_go_newest_first_without_gaps(chat_account: ChatAccount) -> None:
    cid, visitor = await conversation_with_visitor(chat_account)
    path = f"/v1/conversations/{cid}/messages"
    sent = []
    for n in range(12):
        response = await chat_account.client.post(
            path, json={"content": f"m{n}", "private": n % 4 == 0}, headers=chat_account.agent
        )
        sent.append(response.json())

    async def walk(url: str, headers: dict[str, str]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 5} | ({"cursor": cursor} if cursor else {})
            page = (await chat_account.client.get(url, params=params, headers=headers)).json()
            assert len(page["items"]) <= 5
            items += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                return items

    everything = await walk(path, chat_account.agent)
    assert [m["id"] for m in everything] == [m["id"] for m in reversed(sent)]
    public = await walk(f"/v1/public/conversations/{cid}/messages", visitor)
    assert [m["id"] for m in public] == [m["id"] for m in reversed(sent) if not m["private"]]
    assert len(public) == 9


async def test_the_same_client_message_id_stores_one_message(chat_account: ChatAccount) -> None:
    cid, visitor = await conversation_with_visitor(chat_account)
    path = f"/v1/public/conversations/{cid}/messages"
    body = {"content": "are you there?", "client_message_id": "c-1"}
    first = await chat_account.client.post(path, json=body, headers=visitor)
    second = await chat_account.client.post(path, json=body, headers=visitor)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert first.json()["client_message_id"] == "c-1"
    assert await chat_account.count_messages_in(cid) == 1
    events = [e for e in await chat_account.events("message.created") if e.key == cid]
    assert len(events) == 1


async def test_concurrent_sends_with_one_client_message_id_store_one(
    chat_account: ChatAccount,
) -> None:
    cid, _ = await conversation_with_visitor(chat_account)
    path = f"/v1/conversations/{cid}/messages"
    body = {"content": "on my way", "client_message_id": "race"}
    responses = await asyncio.gather(
        *(chat_account.client.post(path, json=body, headers=chat_account.agent) for _ in range(8))
    )
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert await chat_account.count_messages_in(cid) == 1
    assert len([e for e in await chat_account.events("message.created") if e.key == cid]) == 1


async def test_client_message_ids_are_per_sender(chat_account: ChatAccount) -> None:
    cid, visitor = await conversation_with_visitor(chat_account)
    body = {"content": "hi", "client_message_id": "1"}
    by_visitor = await chat_account.client.post(
        f"/v1/public/conversations/{cid}/messages", json=body, headers=visitor
    )
    by_agent = await chat_account.client.post(
        f"/v1/conversations/{cid}/messages", json=body, headers=chat_account.agent
    )
    assert (by_visitor.status_code, by_agent.status_code) == (201, 201)
    assert await chat_account.count_messages_in(cid) == 2


async def test_invalid_messages_are_refused_and_store_nothing(chat_account: ChatAccount) -> None:
    cid, visitor = await conversation_with_visitor(chat_account)
    limit = chat_account.service.settings.max_message_length
    bodies: list[Any] = [
        {"content": ""},
        {"content": "   \n "},
        {"content": "x" * (limit + 1)},
        {"content": "y" * 100_000},
        {"content": 42},
        {"content": None},
        {"content": "ok", "client_message_id": "z" * 101},
        {"content": "ok", "client_message_id": ""},
        {"content": "ok", "private": "yes"},
        {"content": "ok", "sender_id": "someone"},
        {},
        ["content"],
    ]
    for body in bodies:
        response = await chat_account.client.post(
            f"/v1/conversations/{cid}/messages", json=body, headers=chat_account.agent
        )
        assert response.status_code == 422, (body, response.text)
        assert error_code(response) == "validation_error"
        assert response.json()["error"]["details"]
    # Text no database can keep: a NUL, a lone surrogate (sent escaped, as JSON allows).
    for raw in ('{"content": "a\\u0000b"}', '{"content": "a\\ud800b"}'):
        response = await chat_account.client.post(
            f"/v1/public/conversations/{cid}/messages",
            content=raw.encode(),
            headers=visitor | {"content-type": "application/json"},
        )
        assert response.status_code == 422, (raw, response.text)
        assert error_code(response) == "invalid_text"
    visitor_private = await chat_account.client.post(
        f"/v1/public/conversations/{cid}/messages",
        json={"content": "hi", "private": True},
        headers=visitor,
    )
    assert visitor_private.status_code == 422
    not_json = await chat_account.client.post(
        f"/v1/conversations/{cid}/messages",
        content=b"{not json",
        headers=chat_account.agent | {"content-type": "application/json"},
    )
    assert not_json.status_code == 422
    assert await chat_account.count_messages_in(cid) == 0
    assert not [e for e in await chat_account.events("message.created") if e.key == cid]


async def test_a_message_at_the_limit_is_stored_stripped(chat_account: ChatAccount) -> None:
    cid, _ = await conversation_with_visitor(chat_account)
    limit = chat_account.service.settings.max_message_length
    response = await chat_account.client.post(
        f"/v1/conversations/{cid}/messages",
        json={"content": "  " + "é" * limit + "  "},
        headers=chat_account.agent,
    )
    assert response.status_code == 201
    assert response.json()["content"] == "é" * limit


async def test_an_oversized_first_message_opens_nothing(chat_account: ChatAccount) -> None:
    _, visitor = await chat_account.create_visitor()
    before = await chat_account.count_conversations()
    response = await chat_account.client.post(
        "/v1/public/conversations", json={"content": "y" * 100_000}, headers=visitor
    )
    assert response.status_code == 422
    assert error_code(response) == "validation_error"
    assert await chat_account.count_conversations() == before


async def test_events_carry_the_origin_header(chat_account: ChatAccount) -> None:
    cid, visitor = await conversation_with_visitor(chat_account)
    response = await chat_account.client.post(
        f"/v1/public/conversations/{cid}/messages",
        json={"content": "hello"},
        headers=visitor | {"X-Switchboard-Origin": "conn-7:c-17"},
    )
    [event] = [
        e
        for e in await chat_account.events("message.created")
        if e.data["message"]["id"] == response.json()["id"]
    ]
    assert event.origin == "conn-7:c-17"
    assert event.version == 2
    assert event.data == {
        "conversation_id": cid,
        "inbox_id": chat_account.inbox["id"],
        "message": response.json(),
    }
    assert (event.data["message"]["content"], event.data["message"]["sender_type"]) == (
        "hello",
        "visitor",
    )
    untagged = [e for e in await chat_account.events("conversation.created") if e.key == cid]
    assert untagged[0].origin is None
