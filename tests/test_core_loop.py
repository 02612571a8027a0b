"""The core loop end to end: real processes, real HTTP and websockets, as clients would."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import NamedTuple

import httpx

from switchboard.core.auth import Principal
from switchboard.core.testing import SocketClient, bearer, eventually, token_for
from tests.conftest import Agent, Shop, Visitor, go_online, open_shop, visitor_socket
from tests.suite import Suite, about, connect, saying, send_message


class OpenChat(NamedTuple):
    agent: Agent
    agent_socket: SocketClient
    visitor: Visitor
    visitor_socket: SocketClient
    conversation_id: str


async def open_chat(suite: Suite, shop: Shop, sockets: list[SocketClient]) -> OpenChat:
    """An agent online on a socket, and a new visitor on a socket of its own who opens a
    conversation (the agent is the one who can take it)."""
    agent = await shop.agent()
    agent_socket = await go_online(suite, agent, sockets)
    visitor = await shop.visitor()
    visitor_sock = await visitor_socket(suite, visitor, sockets)
    conversation_id = await shop.open_conversation(visitor)
    return OpenChat(agent, agent_socket, visitor, visitor_sock, conversation_id)


async def is_online(shop: Shop, agent: Agent) -> bool:
    """Whether routing counts the agent as connected."""
    response = await shop.http.get("/v1/me", headers=agent.headers)
    assert response.status_code == 200, response.text
    return bool(response.json()["online"])


async def waiting(shop: Shop) -> list[str]:
    """The conversations of the shop's inbox waiting in the queue, first in line first."""
    response = await shop.http.get("/v1/queue", headers=shop.admin.headers)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    return [item["conversation_id"] for item in items if item["inbox_id"] == shop.inbox_id]


async def test_a_visitor_and_the_one_eligible_agent_chat_in_real_time(
    suite: Suite, shop: Shop, sockets: list[SocketClient]
) -> None:
    agent = await shop.agent("Lan")
    await shop.agent("Minh")  # a member who never comes online
    agent_socket = await go_online(suite, agent, sockets)
    visitor = await shop.visitor()
    visitor_sock = await visitor_socket(suite, visitor, sockets)
    conversation_id = await shop.open_conversation(visitor, "Cho mình hỏi về đơn hàng")

    assigned = await agent_socket.expect("conversation.assigned", about(conversation_id))
    assert assigned["data"]["assignee_id"] == agent.id
    await visitor_sock.expect("conversation.assigned", about(conversation_id))
    assert await shop.assignee_of(conversation_id) == agent.id

    await send_message(visitor_sock, conversation_id, "Đơn 1234 ạ")
    pushed = await agent_socket.expect("message.created", saying("Đơn 1234 ạ"))
    assert pushed["data"]["message"]["sender_type"] == "visitor"
    assert pushed["data"]["message"]["private"] is False

    reply = await send_message(agent_socket, conversation_id, "Mình kiểm tra nhé")
    own = await agent_socket.expect("message.created", saying("Mình kiểm tra nhé"))
    assert own.get("request_id") == reply["request_id"]
    answered = await visitor_sock.expect("message.created", saying("Mình kiểm tra nhé"))
    assert answered["data"]["message"]["sender_type"] == "agent"
    assert "request_id" not in answered


async def test_a_private_note_reaches_the_agent_and_never_the_visitor(
    suite: Suite, shop: Shop, sockets: list[SocketClient]
) -> None:
    agent, agent_socket, visitor, visitor_sock, conversation_id = await open_chat(
        suite, shop, sockets
    )
    await agent_socket.expect("conversation.assigned", about(conversation_id))

    await send_message(agent_socket, conversation_id, "khách VIP", private=True)
    pushed = await agent_socket.expect("message.created", saying("khách VIP"))
    assert pushed["data"]["message"]["private"] is True
    await send_message(agent_socket, conversation_id, "Chào bạn")

    # The visitor's next message is the public one: the note never arrived before it.
    received = await visitor_sock.expect(
        "message.created", lambda d: d["message"]["sender_type"] == "agent"
    )
    assert received["data"]["message"]["content"] == "Chào bạn"
    assert all(f["data"].get("content") != "khách VIP" for f in visitor_sock.received)

    listed = await shop.http.get(
        f"/v1/public/conversations/{conversation_id}/messages", headers=visitor.headers
    )
    assert listed.status_code == 200
    contents = [m["content"] for m in listed.json()["items"]]
    assert "Chào bạn" in contents and "khách VIP" not in contents
    staff = await shop.http.get(
        f"/v1/conversations/{conversation_id}/messages", headers=agent.headers
    )
    assert "khách VIP" in [m["content"] for m in staff.json()["items"]]


async def test_an_agent_not_accepting_gets_nothing_until_they_turn_it_back_on(
    suite: Suite, shop: Shop, sockets: list[SocketClient]
) -> None:
    agent = await shop.agent()
    agent_socket = await go_online(suite, agent, sockets, accept=False)
    conversation_id = await shop.open_conversation(await shop.visitor())
    # Routing put it in the queue (it tells the inbox its place) rather than assign it.
    place = await agent_socket.expect("queue.position_changed", about(conversation_id))
    assert place["data"]["position"] == 1
    assert await shop.assignee_of(conversation_id) is None

    turned_on = await agent_socket.request(
        "set_availability", {"status": "online", "accept_auto_assign": True}
    )
    assert turned_on["ok"], turned_on
    assigned = await agent_socket.expect("conversation.assigned", about(conversation_id))
    assert assigned["data"]["assignee_id"] == agent.id


async def test_the_queue_goes_oldest_first_to_an_agent_who_reconnects(
    suite: Suite, shop: Shop, sockets: list[SocketClient]
) -> None:
    agent = await shop.agent()
    first_socket = await go_online(suite, agent, sockets)
    await first_socket.close()  # every socket closed: not eligible any more, after the grace
    await eventually(lambda: is_online(shop, agent), lambda online: not online)

    older = await shop.open_conversation(await shop.visitor("Một"))
    newer = await shop.open_conversation(await shop.visitor("Hai"))
    assert await eventually(lambda: waiting(shop), lambda queue: len(queue) == 2) == [
        older,
        newer,
    ]
    assert await shop.assignee_of(older) is None
    assert await shop.assignee_of(newer) is None

    socket = await connect(suite, "agent", agent.token)
    sockets.append(socket)
    first = await socket.expect("conversation.assigned", lambda d: True)
    second = await socket.expect("conversation.assigned", lambda d: True)
    assert [first["data"]["conversation_id"], second["data"]["conversation_id"]] == [
        older,
        newer,
    ]


async def test_a_client_that_resumes_receives_what_it_missed_in_order(
    suite: Suite, shop: Shop, sockets: list[SocketClient]
) -> None:
    _, agent_socket, visitor, visitor_sock, conversation_id = await open_chat(suite, shop, sockets)
    seen = await visitor_sock.expect("conversation.assigned", about(conversation_id))
    await visitor_sock.close()

    for n in range(3):
        await send_message(agent_socket, conversation_id, f"missed {n}")
    await agent_socket.expect("message.created", saying("missed 2"))

    visitor_sock = await visitor_socket(suite, visitor, sockets)
    resumed = await visitor_sock.request("resume", {"last_event_id": seen["id"]})
    assert resumed["ok"], resumed
    replayed = [
        (await visitor_sock.expect("message.created", lambda d: True))["data"]["message"]["content"]
        for _ in range(3)
    ]
    assert replayed == ["missed 0", "missed 1", "missed 2"]


async def test_an_agent_of_another_account_gets_404(suite: Suite, shop: Shop) -> None:
    conversation_id = await shop.open_conversation(await shop.visitor())
    other = await open_shop(suite, shop.http)
    for path in (
        f"/v1/conversations/{conversation_id}",
        f"/v1/conversations/{conversation_id}/messages",
    ):
        response = await shop.http.get(path, headers=other.admin.headers)
        assert response.status_code == 404, response.text
        assert response.json()["error"]["code"] == "conversation_not_found"
    posted = await shop.http.post(
        f"/v1/conversations/{conversation_id}/messages",
        json={"content": "hi"},
        headers=other.admin.headers,
    )
    assert posted.status_code == 404
    assert posted.json()["error"]["code"] == "conversation_not_found"


async def test_the_same_client_message_id_twice_stores_one_message(
    suite: Suite, shop: Shop, sockets: list[SocketClient]
) -> None:
    visitor = await shop.visitor()
    visitor_sock = await visitor_socket(suite, visitor, sockets)
    conversation_id = await shop.open_conversation(visitor)
    payload = {
        "conversation_id": conversation_id,
        "content": "gửi lại",
        "client_message_id": "m-1",
    }
    first, second = await asyncio.gather(
        visitor_sock.request("send_message", payload),
        visitor_sock.request("send_message", payload),
    )
    assert first["ok"] and second["ok"], (first, second)
    assert first["payload"]["id"] == second["payload"]["id"]
    listed = await shop.http.get(
        f"/v1/public/conversations/{conversation_id}/messages", headers=visitor.headers
    )
    assert [m["content"] for m in listed.json()["items"]].count("gửi lại") == 1


async def test_bad_input_gets_a_clear_4xx_and_changes_nothing(
    suite: Suite, shop: Shop, http: httpx.AsyncClient
) -> None:
    agent = await shop.agent()
    visitor = await shop.visitor()
    conversation_id = await shop.open_conversation(visitor, "first")
    path = f"/v1/conversations/{conversation_id}/messages"
    expired = token_for(
        suite.settings,
        Principal(kind="agent", id=uuid.UUID(agent.id), account_id=uuid.UUID(shop.account_id)),
        ttl_seconds=-int(timedelta(minutes=1).total_seconds()),
    )
    cases = [
        (agent.headers, {"content": 42}, 422, "validation_error"),
        (agent.headers, {"content": "x", "private": "maybe"}, 422, "validation_error"),
        (agent.headers, {}, 422, "validation_error"),
        (agent.headers, {"content": "   "}, 422, "validation_error"),
        (agent.headers, {"content": "x" * 100_000}, 422, "validation_error"),  # > 10,000
        (bearer(expired), {"content": "x"}, 401, "token_expired"),
        ({}, {"content": "x"}, 401, "unauthorized"),
    ]
    for headers, body, status, code in cases:
        response = await http.post(path, json=body, headers=headers)
        error = response.json()["error"]
        assert (response.status_code, error["code"]) == (status, code), (body, response.text)
        assert error["message"], error
    expired_response = await http.get(path, headers=bearer(expired))
    assert expired_response.status_code == 401
    assert expired_response.json()["error"]["code"] == "token_expired"

    listed = await http.get(path, headers=agent.headers)
    assert [m["content"] for m in listed.json()["items"]] == ["first"]
