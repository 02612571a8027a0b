"""Routing end to end (offers, transfers, invitations, monitoring, manual assignment): real
processes (two routing instances sharing one database and Redis), HTTP through the gateway and
websockets, as a front end would see it."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest_asyncio
from redis.asyncio import Redis

from switchboard.core.testing import SocketClient, eventually
from tests.conftest import Account, Agent, Shop, Visitor, open_shop, shop_of, visitor_socket
from tests.suite import (
    Suite,
    about,
    connect,
    saying,
    send_message,
    turn_busy,
)

# --- fixtures: one account for the module, a fresh inbox (and agents) for every test ----------


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def floor_http(suite: Suite) -> AsyncIterator[httpx.AsyncClient]:
    # Idle connections are dropped well before the server's 5 s keep-alive timeout: a request
    # sent on a connection the server is closing at that moment fails with ReadError.
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=100, keepalive_expiry=1.0)
    async with httpx.AsyncClient(base_url=suite.base_url, timeout=20.0, limits=limits) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def floor(account: Account, floor_http: httpx.AsyncClient) -> Shop:
    """The module's account with a new inbox of its own: the agents made through it are
    members of this inbox only, so tests do not route to each other's agents."""
    return await shop_of(account, floor_http, "Floor")


# --- helpers ----------------------------------------------------------------------------------


async def agent_socket(
    suite: Suite,
    agent: Agent,
    sockets: list[SocketClient],
    *,
    status: str | None = "online",
    accept: bool = True,
) -> SocketClient:
    """An agent's socket, once routing has heard that the agent is connected; with ``status``
    also its availability (online: eligible)."""
    socket = await connect(suite, "agent", agent.token)
    sockets.append(socket)
    if status is not None:
        response = await socket.request(
            "set_availability", {"status": status, "accept_auto_assign": accept}
        )
        assert response["ok"], response

    async with httpx.AsyncClient(base_url=suite.base_url, timeout=10.0) as client:

        async def connected() -> bool:  # presence reaches routing over the gateway's stream
            me = await client.get("/v1/me", headers=agent.headers)
            assert me.status_code == 200, me.text
            return bool(me.json()["online"])

        await eventually(connected, what=f"routing sees {agent.email} online")
    return socket


async def chat_assigned_to(
    suite: Suite, floor: Shop, sockets: list[SocketClient], agent: Agent, agent_sock: SocketClient
) -> tuple[Visitor, SocketClient, str]:
    """A new visitor, connected, opens a conversation; once ``agent`` hears it is assigned to
    them: the visitor, its socket and the conversation's id."""
    visitor = await floor.visitor()
    visitor_sock = await visitor_socket(suite, visitor, sockets)
    conversation_id = await floor.open_conversation(visitor)
    await agent_sock.expect("conversation.assigned", assigned_to(conversation_id, agent.id))
    return visitor, visitor_sock, conversation_id


async def say(shop: Shop, visitor: Visitor, conversation_id: str, content: str) -> None:
    """The visitor writes over REST."""
    response = await shop.http.post(
        f"/v1/public/conversations/{conversation_id}/messages",
        json={"content": content},
        headers=visitor.headers,
    )
    assert response.status_code == 201, response.text


async def queued(shop: Shop, agent: Agent) -> list[str]:
    """The conversations waiting in the queue, as the agent sees it."""
    response = await shop.http.get("/v1/queue", headers=agent.headers)
    assert response.status_code == 200, response.text
    return [item["conversation_id"] for item in response.json()["items"]]


async def set_capacity(shop: Shop, agent: Agent, capacity: int | None) -> None:
    response = await shop.http.patch(
        f"/v1/agents/{agent.id}", json={"capacity": capacity}, headers=shop.admin.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["capacity_override"] == capacity


async def set_strategy(shop: Shop, strategy: str) -> None:
    response = await shop.http.put(
        f"/v1/inboxes/{shop.inbox_id}/routing",
        json={"strategy": strategy},
        headers=shop.admin.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["strategy"] == strategy


async def conversation(shop: Shop, conversation_id: str) -> dict[str, Any]:
    response = await shop.http.get(
        f"/v1/conversations/{conversation_id}", headers=shop.admin.headers
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def load_of(shop: Shop, agent: Agent) -> int:
    response = await shop.http.get(f"/v1/agents/{agent.id}", headers=shop.admin.headers)
    assert response.status_code == 200, response.text
    return int(response.json()["load"])


async def participants_become(shop: Shop, conversation_id: str, expected: set[tuple[str, str]]):
    """Wait until chat shows exactly these (agent id, kind) participants."""

    async def check() -> bool:
        found = (await conversation(shop, conversation_id))["participants"]
        return {(p["id"], p["kind"]) for p in found} == expected

    await eventually(check, what=f"participants of {conversation_id} == {expected}")


async def seen(
    socket: SocketClient,
    event: str,
    where: Callable[[dict[str, Any]], bool] = lambda data: True,
    since: int = 0,
) -> dict[str, Any]:
    """The first matching push this socket received (from its ``since``-th push on), whatever
    came before or after it (``SocketClient.expect`` passes over what it skips; this does not)."""

    async def matching() -> list[dict[str, Any]]:
        return [f for f in socket.received[since:] if f["event"] == event and where(f["data"])]

    found = await eventually(matching, what=f"a matching {event} on the socket")
    return found[0]


def having(**fields: str) -> Callable[[dict[str, Any]], bool]:
    """Pushes whose data has these values."""
    return lambda data: all(data.get(name) == value for name, value in fields.items())


def assigned_to(conversation_id: str, agent_id: str) -> Callable[[dict[str, Any]], bool]:
    return lambda data: (
        data.get("conversation_id") == conversation_id and data.get("assignee_id") == agent_id
    )


async def public_messages(shop: Shop, visitor: Visitor, conversation_id: str) -> list[dict]:
    response = await shop.http.get(
        f"/v1/public/conversations/{conversation_id}/messages", headers=visitor.headers
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def staff_messages(shop: Shop, agent: Agent, conversation_id: str) -> list[dict]:
    response = await shop.http.get(
        f"/v1/conversations/{conversation_id}/messages?limit=100", headers=agent.headers
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def assert_visitor_saw_nothing_internal(socket: SocketClient) -> None:
    """No floor event and no system message ever reaches a visitor's socket."""
    internal = ("offer.", "transfer.", "invitation.", "participant.", "assignment.")
    for frame in socket.received:
        assert not frame["event"].startswith(internal), frame
        if frame["event"] == "message.created":
            assert frame["data"]["message"]["sender_type"] != "system", frame
            assert frame["data"]["message"]["private"] is False, frame


# --- broadcast offers -------------------------------------------------------------------------


async def test_a_broadcast_offer_has_exactly_one_winner(
    suite: Suite, floor: Shop, sockets: list[SocketClient]
) -> None:
    agents = [await floor.agent(name) for name in ("An", "Bình", "Chi")]
    await set_strategy(floor, "broadcast")
    first, second, late = [await agent_socket(suite, agent, sockets) for agent in agents]
    visitor = await floor.visitor()
    conversation_id = await floor.open_conversation(visitor)

    offers = [
        await socket.expect("offer.created", about(conversation_id))
        for socket in (first, second, late)
    ]
    offer_id = offers[0]["data"]["offer_id"]
    assert {o["data"]["offer_id"] for o in offers} == {offer_id}
    assert sorted(offers[0]["data"]["agent_ids"]) == sorted(a.id for a in agents)
    assert await floor.assignee_of(conversation_id) is None  # offered, nobody has it yet

    # The same instant: one accept over the socket (gateway -> first routing instance), one
    # over REST straight to the second routing instance.
    second_routing = suite.instance_urls("routing")[-1]
    by_socket, by_rest = await asyncio.gather(
        first.request("accept_offer", {"offer_id": offer_id}),
        floor.http.post(f"{second_routing}/v1/offers/{offer_id}/accept", headers=agents[1].headers),
    )
    outcomes = {agents[0].id: by_socket["ok"], agents[1].id: by_rest.status_code == 200}
    assert sorted(outcomes.values()) == [False, True], (by_socket, by_rest.text)
    winner_id = next(agent_id for agent_id, won in outcomes.items() if won)
    loser_id = next(agent_id for agent_id, won in outcomes.items() if not won)
    if outcomes[agents[0].id]:
        assert by_socket["payload"]["winner_id"] == winner_id
        assert by_rest.status_code == 409 and by_rest.json()["error"]["code"] == "offer_taken"
    else:
        assert by_rest.json()["winner_id"] == winner_id
        assert by_socket["error"]["code"] == "offer_taken", by_socket

    sockets_of = {agents[0].id: first, agents[1].id: second, agents[2].id: late}
    assigned = await sockets_of[winner_id].expect(
        "conversation.assigned", assigned_to(conversation_id, winner_id)
    )
    assert assigned["data"]["reason"] == "offer"
    for agent_id in (loser_id, agents[2].id):
        withdrawn = await sockets_of[agent_id].expect("offer.withdrawn", about(conversation_id))
        assert withdrawn["data"]["reason"] == "taken"
        assert withdrawn["data"]["winner_id"] == winner_id

    too_late = await late.request("accept_offer", {"offer_id": offer_id})
    assert not too_late["ok"] and too_late["error"]["code"] == "offer_taken", too_late

    assert await floor.assignee_of(conversation_id) == winner_id
    assert [await load_of(floor, agent) for agent in agents] == [
        1 if agent.id == winner_id else 0 for agent in agents
    ]
    # A withdrawal to the winner would have come before routing's word of his availability.
    await turn_busy(sockets_of[winner_id])
    assert sockets_of[winner_id].pushes("offer.withdrawn") == []
    # Exactly one assignment reached the floor: every member heard the same single winner
    # before a later message of the conversation (chat's stream, like the assignments).
    await say(floor, visitor, conversation_id, "còn đó không")
    for socket in (first, second, late):
        await socket.expect("message.created", saying("còn đó không"))
        told = [
            f["data"]["assignee_id"]
            for f in socket.pushes("conversation.assigned", about(conversation_id))
        ]
        assert told == [winner_id], told


# --- capacity and the queue -------------------------------------------------------------------


async def test_a_freed_slot_pulls_the_waiting_conversation_at_once(
    suite: Suite, floor: Shop, sockets: list[SocketClient]
) -> None:
    agent = await floor.agent("Dũng")
    await set_capacity(floor, agent, 1)
    socket = await agent_socket(suite, agent, sockets)

    first = await floor.open_conversation(await floor.visitor("Một"))
    await socket.expect("conversation.assigned", assigned_to(first, agent.id))

    waiting_visitor = await floor.visitor("Hai")
    waiting_socket = await visitor_socket(suite, waiting_visitor, sockets)
    second = await floor.open_conversation(waiting_visitor)
    position = await waiting_socket.expect(
        "queue.position_changed", lambda d: d["conversation_id"] == second
    )
    assert position["data"]["position"] == 1
    assert position["data"]["estimated_wait_seconds"] >= 0
    # Routing queued it (its position says so) rather than go above the agent's capacity.
    assert await queued(floor, agent) == [second]
    assert await load_of(floor, agent) == 1
    assert await floor.assignee_of(second) is None

    resolved = await floor.http.patch(
        f"/v1/conversations/{first}", json={"status": "resolved"}, headers=agent.headers
    )
    assert resolved.status_code == 200, resolved.text
    started = time.monotonic()
    # At once: well before the 5 s safety-net re-drain could have done it.
    await socket.expect("conversation.assigned", assigned_to(second, agent.id), timeout=4.0)
    assert time.monotonic() - started < 4.0
    await seen(
        waiting_socket,
        "queue.position_changed",
        lambda d: d["conversation_id"] == second and d["position"] == 0,
    )
    await seen(waiting_socket, "conversation.assigned", assigned_to(second, agent.id))
    assert await floor.assignee_of(second) == agent.id
    assert await load_of(floor, agent) == 1
    assert_visitor_saw_nothing_internal(waiting_socket)


# --- transfers --------------------------------------------------------------------------------


async def test_a_transfer_to_an_agent_waits_for_acceptance(
    suite: Suite, floor: Shop, sockets: list[SocketClient]
) -> None:
    original = await floor.agent("Em")
    target = await floor.agent("Giang", member=False)
    offline = await floor.agent("Hà", member=False)
    original_socket = await agent_socket(suite, original, sockets)
    visitor, visitor_sock, conversation_id = await chat_assigned_to(
        suite, floor, sockets, original, original_socket
    )
    path = f"/v1/conversations/{conversation_id}/transfers"

    refused = await floor.http.post(
        path, json={"to_agent_id": offline.id}, headers=original.headers
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "agent_offline"

    target_socket = await agent_socket(suite, target, sockets)
    asked = await floor.http.post(
        path,
        json={"to_agent_id": target.id, "reason": "khách hỏi về hoá đơn"},
        headers=original.headers,
    )
    assert asked.status_code == 201, asked.text
    transfer = asked.json()
    assert transfer["status"] == "pending"
    requested = await target_socket.expect("transfer.requested", about(conversation_id))
    assert requested["data"]["transfer_id"] == transfer["id"]
    assert requested["data"]["from_agent_id"] == original.id
    assert await floor.assignee_of(conversation_id) == original.id  # not before the answer

    accepted = await target_socket.request("accept_transfer", {"transfer_id": transfer["id"]})
    assert accepted["ok"], accepted
    assert accepted["payload"]["status"] == "accepted"
    moved = await target_socket.expect(
        "conversation.assigned", assigned_to(conversation_id, target.id)
    )
    assert moved["data"]["previous_assignee_id"] == original.id
    assert moved["data"]["reason"] == "transfer"
    await seen(original_socket, "conversation.assigned", assigned_to(conversation_id, target.id))
    await seen(original_socket, "transfer.accepted", about(conversation_id))
    detail = await conversation(floor, conversation_id)
    assert detail["assignee_id"] == target.id
    assert original.id not in {p["id"] for p in detail["participants"]}
    assert (await load_of(floor, original), await load_of(floor, target)) == (0, 1)

    # Back the other way, rejected: it stays with the one who asked, who is told why.
    back = await floor.http.post(path, json={"to_agent_id": original.id}, headers=target.headers)
    assert back.status_code == 201, back.text
    ask = await original_socket.expect(
        "transfer.requested", lambda d: d["transfer_id"] == back.json()["id"]
    )
    rejected = await original_socket.request(
        "reject_transfer", {"transfer_id": ask["data"]["transfer_id"], "reason": "đang bận"}
    )
    assert rejected["ok"], rejected
    told = await target_socket.expect("transfer.rejected", about(conversation_id))
    assert told["data"]["reason"] == "đang bận"
    assert told["data"]["by_agent_id"] == original.id
    assert await floor.assignee_of(conversation_id) == target.id
    again = await original_socket.request("accept_transfer", {"transfer_id": back.json()["id"]})
    assert not again["ok"] and again["error"]["code"] == "transfer_not_pending", again

    history = await floor.http.get(path, headers=original.headers)
    assert history.status_code == 200, history.text
    steps = sorted(history.json()["items"], key=lambda t: t["created_at"])
    assert [
        (t["from_agent_id"], t["to_agent_id"], t["status"], t["by_agent_id"]) for t in steps
    ] == [
        (original.id, target.id, "accepted", target.id),
        (target.id, original.id, "rejected", original.id),
    ]
    assert steps[1]["reason"] == "đang bận"
    assert all(step["decided_at"] for step in steps)

    # The history as system messages: agents read it, the visitor never does.
    async def written() -> bool:
        messages = await staff_messages(floor, target, conversation_id)
        return len([m for m in messages if m["sender_type"] == "system"]) >= 6

    await eventually(written, what="the system messages of two assignments and two transfers")
    every_line = [
        m
        for m in await staff_messages(floor, target, conversation_id)
        if m["sender_type"] == "system"
    ]
    assert all(m["private"] for m in every_line)
    system = [m for m in every_line if "transfer" in m["content"]]
    assert len(system) == 4, system  # asked, accepted, asked back, rejected with the reason
    assert sum("Giang" in m["content"] and "Em" in m["content"] for m in system) == 4
    assigned = [m["content"] for m in every_line if m not in system]
    assert len(assigned) == 2 and all(line.startswith("Assigned to") for line in assigned)
    assert sum("đang bận" in m["content"] for m in system) == 1
    contents = [m["content"] for m in await public_messages(floor, visitor, conversation_id)]
    assert contents == ["Xin chào"]
    assert_visitor_saw_nothing_internal(visitor_sock)


async def test_transfers_accepted_while_the_agent_resolves_end_consistent(
    suite: Suite, floor: Shop, sockets: list[SocketClient]
) -> None:
    original = await floor.agent("Ý")
    target = await floor.agent("Xuân", member=False)
    original_socket = await agent_socket(suite, original, sockets)
    await agent_socket(suite, target, sockets)
    ids = [await floor.open_conversation(await floor.visitor(f"R{n}")) for n in range(4)]
    for conversation_id in ids:
        await seen(
            original_socket, "conversation.assigned", assigned_to(conversation_id, original.id)
        )
    transfer_ids = []
    for conversation_id in ids:
        asked = await floor.http.post(
            f"/v1/conversations/{conversation_id}/transfers",
            json={"to_agent_id": target.id},
            headers=original.headers,
        )
        assert asked.status_code == 201, asked.text
        transfer_ids.append(asked.json()["id"])

    # Every accept races its conversation's resolve; the accepts go to both routing processes.
    routings = suite.instance_urls("routing")
    accepts = [
        floor.http.post(
            f"{routings[n % 2]}/v1/transfers/{transfer_id}/accept", headers=target.headers
        )
        for n, transfer_id in enumerate(transfer_ids)
    ]
    resolves = [
        floor.http.patch(
            f"/v1/conversations/{c}", json={"status": "resolved"}, headers=original.headers
        )
        for c in ids
    ]
    answers = await asyncio.gather(*accepts, *resolves)
    accepted, resolved = answers[: len(ids)], answers[len(ids) :]
    assert all(r.status_code == 200 for r in resolved), [r.text for r in resolved]

    for conversation_id, transfer_id, answer in zip(ids, transfer_ids, accepted, strict=True):
        if answer.status_code == 200:
            expected_status, expected_assignee = "accepted", target.id
        else:
            # conversation_closed when the accept came first to the lock and found the
            # conversation closed; transfer_not_pending when the resolve had already cancelled it.
            assert answer.status_code == 409, answer.text
            code = answer.json()["error"]["code"]
            assert code in {"conversation_closed", "transfer_not_pending"}, answer.text
            expected_status, expected_assignee = "cancelled", original.id
        transfer = (
            await floor.http.get(f"/v1/transfers/{transfer_id}", headers=original.headers)
        ).json()
        assert transfer["status"] == expected_status, transfer
        if expected_status == "cancelled":
            assert transfer["reason"] == "conversation_closed", transfer

        async def agreed(c: str = conversation_id, who: str = expected_assignee) -> bool:
            chat = await conversation(floor, c)
            routing = await floor.http.get(
                f"/v1/conversations/{c}/participants", headers=floor.admin.headers
            )
            return (
                chat["status"] == "resolved"
                and chat["assignee_id"] == who == (routing.json()["assignee_id"])
            )

        await eventually(agreed, what=f"chat and routing agree on {conversation_id}")
        settled = "transfer.accepted" if expected_status == "accepted" else "transfer.rejected"
        await seen(original_socket, settled, having(transfer_id=transfer_id))

    async def nobody_holds_them() -> bool:
        return (await load_of(floor, original), await load_of(floor, target)) == (0, 0)

    await eventually(nobody_holds_them, what="resolved conversations count for nobody")


# --- invitations ------------------------------------------------------------------------------


async def test_an_invited_agent_sees_and_writes_and_may_leave(
    suite: Suite, floor: Shop, sockets: list[SocketClient]
) -> None:
    assignee = await floor.agent("Khánh")
    helper = await floor.agent("Linh", member=False)  # hears the inbox only once invited
    assignee_socket = await agent_socket(suite, assignee, sockets)
    helper_socket = await agent_socket(suite, helper, sockets, status=None)
    visitor, visitor_sock, conversation_id = await chat_assigned_to(
        suite, floor, sockets, assignee, assignee_socket
    )

    async def visitor_says(text: str) -> None:
        await send_message(visitor_sock, conversation_id, text)
        await assignee_socket.expect("message.created", saying(text))

    await visitor_says("trước khi mời")

    invited = await floor.http.post(
        f"/v1/conversations/{conversation_id}/invitations",
        json={"agent_id": helper.id},
        headers=assignee.headers,
    )
    assert invited.status_code == 201, invited.text
    invitation = await helper_socket.expect("invitation.created", about(conversation_id))
    assert invitation["data"]["invitation_id"] == invited.json()["id"]
    assert invitation["data"]["from_agent_id"] == assignee.id
    joined = await floor.http.post(
        f"/v1/invitations/{invited.json()['id']}/accept", headers=helper.headers
    )
    assert joined.status_code == 200, joined.text
    assert joined.json()["status"] == "accepted"
    await assignee_socket.expect("invitation.accepted", about(conversation_id))
    await participants_become(floor, conversation_id, {(helper.id, "participant")})

    await visitor_says("cảm ơn")
    heard = await helper_socket.expect("message.created", saying("cảm ơn"))
    assert heard["data"]["message"]["sender_type"] == "visitor"
    assert "trước khi mời" not in [f["data"].get("content") for f in helper_socket.received]

    await send_message(helper_socket, conversation_id, "Mình hỗ trợ thêm nhé")
    reached = await visitor_sock.expect("message.created", saying("Mình hỗ trợ thêm nhé"))
    assert reached["data"]["message"]["sender_id"] == helper.id
    await assignee_socket.expect("message.created", saying("Mình hỗ trợ thêm nhé"))

    for agent_id in (helper.id, assignee.id):
        twice = await floor.http.post(
            f"/v1/conversations/{conversation_id}/invitations",
            json={"agent_id": agent_id},
            headers=assignee.headers,
        )
        assert twice.status_code == 409, twice.text
        assert twice.json()["error"]["code"] == "already_participant"

    stays = await floor.http.post(
        f"/v1/conversations/{conversation_id}/leave", headers=assignee.headers
    )
    assert stays.status_code == 409, stays.text
    assert stays.json()["error"]["code"] == "assignee_cannot_leave"
    left = await floor.http.post(
        f"/v1/conversations/{conversation_id}/leave", headers=helper.headers
    )
    assert left.status_code == 204, left.text
    await participants_become(floor, conversation_id, set())
    assert await floor.assignee_of(conversation_id) == assignee.id

    await visitor_says("còn ai không")
    await turn_busy(helper_socket)  # after it: had "còn ai không" reached the helper, it is here
    unseen = helper_socket.pushes("message.created", saying("còn ai không"))
    assert unseen == []

    # Joining and leaving are in the agents' history, never in the visitor's.
    system = [
        m
        for m in await staff_messages(floor, assignee, conversation_id)
        if m["sender_type"] == "system"
    ]
    assert all(m["private"] for m in system), system
    [assigned, *steps] = reversed(system)  # newest first: the assignment is the oldest
    assert assigned["content"] == "Assigned to Khánh", system
    assert len(steps) == 2 and all("Linh" in m["content"] for m in steps), system  # joined, left
    public = await public_messages(floor, visitor, conversation_id)
    assert all(m["sender_type"] != "system" for m in public)
    assert_visitor_saw_nothing_internal(visitor_sock)


# --- monitoring -------------------------------------------------------------------------------


async def test_a_supervisor_monitors_silently(
    suite: Suite, floor: Shop, sockets: list[SocketClient]
) -> None:
    agent = await floor.agent("Mai")
    supervisor = await floor.agent("Nam", role="supervisor", member=False)
    agent_sock = await agent_socket(suite, agent, sockets)
    supervisor_socket = await agent_socket(suite, supervisor, sockets, status=None)
    visitor, visitor_sock, conversation_id = await chat_assigned_to(
        suite, floor, sockets, agent, agent_sock
    )
    path = f"/v1/conversations/{conversation_id}/monitor"

    not_allowed = await floor.http.post(path, headers=agent.headers)
    assert not_allowed.status_code == 403, not_allowed.text

    await send_message(visitor_sock, conversation_id, "Trước khi xem")
    await agent_sock.expect("message.created", saying("Trước khi xem"))

    watching = await floor.http.post(path, headers=supervisor.headers)
    assert watching.status_code == 201, watching.text
    assert watching.json()["kind"] == "monitor"
    added = await supervisor_socket.expect("participant.added", about(conversation_id))
    assert added["data"]["kind"] == "monitor"
    await participants_become(floor, conversation_id, {(supervisor.id, "monitor")})

    await send_message(visitor_sock, conversation_id, "Có ai không ạ")
    heard = await supervisor_socket.expect("message.created", saying("Có ai không ạ"))
    assert heard["data"]["message"]["sender_type"] == "visitor"
    # The message before the monitoring came first on the same stream: never to him.
    heard_before = supervisor_socket.pushes("message.created")
    assert [f["data"]["message"]["content"] for f in heard_before] == ["Có ai không ạ"]
    await send_message(agent_sock, conversation_id, "Dạ có ạ")
    await supervisor_socket.expect("message.created", saying("Dạ có ạ"))
    await visitor_sock.expect("message.created", saying("Dạ có ạ"))

    stopped = await floor.http.delete(path, headers=supervisor.headers)
    assert stopped.status_code == 204, stopped.text
    await supervisor_socket.expect("participant.removed", about(conversation_id))
    await participants_become(floor, conversation_id, set())
    twice = await floor.http.delete(path, headers=supervisor.headers)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "not_monitoring"

    # Silent: no system message of the monitor for anyone (only the assignment's line),
    # nothing on the visitor's side.
    messages = await staff_messages(floor, agent, conversation_id)
    lines = [m["content"] for m in messages if m["sender_type"] == "system"]
    assert len(lines) == 1 and lines[0].startswith("Assigned to"), lines
    public = await public_messages(floor, visitor, conversation_id)
    assert sorted(m["content"] for m in public) == sorted(
        ["Xin chào", "Trước khi xem", "Có ai không ạ", "Dạ có ạ"]
    )
    assert_visitor_saw_nothing_internal(visitor_sock)


# --- manual assignment ------------------------------------------------------------------------


async def test_manual_assignment_respects_capacity_unless_an_admin_overrides(
    suite: Suite, floor: Shop, sockets: list[SocketClient]
) -> None:
    agent = await floor.agent("Oanh")
    supervisor = await floor.agent("Phúc", role="supervisor", member=False)
    await set_capacity(floor, agent, 1)
    socket = await agent_socket(suite, agent, sockets, accept=False)  # takes by hand only

    first = await floor.open_conversation(await floor.visitor("Một"))

    await eventually(
        lambda: queued(floor, agent),
        lambda waiting: first in waiting,
        what="the conversation waits in the agent's queue",
    )
    taken = await floor.http.post(
        f"/v1/conversations/{first}/assignment", json={}, headers=agent.headers
    )
    assert taken.status_code == 200, taken.text
    assert (taken.json()["status"], taken.json()["agent_id"]) == ("assigned", agent.id)
    await socket.expect("conversation.assigned", assigned_to(first, agent.id))
    assert await floor.assignee_of(first) == agent.id
    assert first not in await queued(floor, agent)

    second = await floor.open_conversation(await floor.visitor("Hai"))
    await eventually(
        lambda: queued(floor, agent),
        lambda waiting: second in waiting,
        what="the second conversation waits",
    )
    path = f"/v1/conversations/{second}/assignment"
    full = await floor.http.post(path, json={"agent_id": agent.id}, headers=supervisor.headers)
    assert full.status_code == 409, full.text
    assert full.json()["error"]["code"] == "at_capacity"
    overriding = await floor.http.post(
        path, json={"agent_id": agent.id, "override_capacity": True}, headers=supervisor.headers
    )
    assert overriding.status_code == 403, overriding.text
    assert overriding.json()["error"]["code"] == "override_not_allowed"
    assert await floor.assignee_of(second) is None

    forced = await floor.http.post(
        path, json={"agent_id": agent.id, "override_capacity": True}, headers=floor.admin.headers
    )
    assert forced.status_code == 200, forced.text
    assert forced.json()["status"] == "assigned"
    await socket.expect("conversation.assigned", assigned_to(second, agent.id))
    assert await floor.assignee_of(second) == agent.id
    assert await load_of(floor, agent) == 2  # above its capacity of 1, as the admin chose


# --- tenancy ----------------------------------------------------------------------------------


async def test_transfers_and_agents_of_another_account_are_404(
    suite: Suite, floor: Shop, sockets: list[SocketClient]
) -> None:
    owner = await floor.agent("Quân")
    colleague = await floor.agent("Sơn", member=False)
    owner_socket = await agent_socket(suite, owner, sockets)
    colleague_socket = await agent_socket(suite, colleague, sockets)
    conversation_id = await floor.open_conversation(await floor.visitor())
    await owner_socket.expect("conversation.assigned", assigned_to(conversation_id, owner.id))

    other = await open_shop(suite, floor.http)
    stranger = await other.agent("Tâm")
    stranger_socket = await agent_socket(suite, stranger, sockets)

    path = f"/v1/conversations/{conversation_id}/transfers"
    to_stranger = await floor.http.post(
        path, json={"to_agent_id": stranger.id}, headers=owner.headers
    )
    assert to_stranger.status_code == 404, to_stranger.text
    assert to_stranger.json()["error"]["code"] == "agent_not_found"

    pending = await floor.http.post(path, json={"to_agent_id": colleague.id}, headers=owner.headers)
    assert pending.status_code == 201, pending.text
    transfer_id = pending.json()["id"]
    await colleague_socket.expect("transfer.requested", about(conversation_id))

    for method, url, body in (
        ("GET", f"/v1/transfers/{transfer_id}", None),
        ("POST", f"/v1/transfers/{transfer_id}/accept", None),
        ("POST", f"/v1/transfers/{transfer_id}/reject", {}),
        ("GET", path, None),
        ("POST", path, {"to_agent_id": stranger.id}),
        ("PATCH", f"/v1/agents/{owner.id}", {"capacity": 9}),
        ("GET", f"/v1/agents/{owner.id}", None),
    ):
        response = await floor.http.request(method, url, json=body, headers=other.admin.headers)
        assert response.status_code == 404, (method, url, response.text)
        assert response.json()["error"]["code"], response.text
    over_socket = await stranger_socket.request("accept_transfer", {"transfer_id": transfer_id})
    assert not over_socket["ok"]
    assert over_socket["error"]["code"] == "transfer_not_found", over_socket

    # Nothing changed: the transfer is still the colleague's to answer.
    still = await floor.http.get(f"/v1/transfers/{transfer_id}", headers=owner.headers)
    assert still.json()["status"] == "pending"
    assert (await floor.http.get(f"/v1/agents/{owner.id}", headers=owner.headers)).json()[
        "capacity_override"
    ] is None
    accepted = await colleague_socket.request("accept_transfer", {"transfer_id": transfer_id})
    assert accepted["ok"], accepted
    await colleague_socket.expect(
        "conversation.assigned", assigned_to(conversation_id, colleague.id)
    )


# --- two routing instances under a burst ------------------------------------------------------


async def test_a_burst_across_two_routing_instances_assigns_each_conversation_once(
    suite: Suite, floor: Shop, sockets: list[SocketClient]
) -> None:
    assert len(suite.instance_urls("routing")) == 2
    capacity, agent_count, conversation_count = 5, 6, 60
    agents = list(await asyncio.gather(*(floor.agent(f"Agent{n}") for n in range(agent_count))))
    await asyncio.gather(*(set_capacity(floor, agent, capacity) for agent in agents))
    agent_sockets = list(
        await asyncio.gather(*(agent_socket(suite, agent, sockets) for agent in agents))
    )
    visitors = list(
        await asyncio.gather(*(floor.visitor(f"V{n}") for n in range(conversation_count)))
    )

    loads_seen: list[dict[str, int]] = []

    async def loads() -> dict[str, int]:
        wanted, found, cursor = {a.id for a in agents}, {}, None
        while True:
            params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            page = await floor.http.get("/v1/agents", params=params, headers=floor.admin.headers)
            assert page.status_code == 200, page.text
            for item in page.json()["items"]:
                if item["id"] in wanted:
                    found[item["id"]] = item["load"]
            cursor = page.json()["next_cursor"]
            if cursor is None:
                return found

    async def queue_order() -> list[str]:
        response = await floor.http.get("/v1/queue?limit=100", headers=floor.admin.headers)
        assert response.status_code == 200, response.text
        items = [i for i in response.json()["items"] if i["inbox_id"] == floor.inbox_id]
        assert [i["queued_at"] for i in items] == sorted(i["queued_at"] for i in items)
        return [i["conversation_id"] for i in items]

    watching = True

    async def watch_loads() -> None:
        while watching:
            loads_seen.append(await loads())
            await asyncio.sleep(0.1)

    watcher = asyncio.create_task(watch_loads())
    try:
        ids = list(
            await asyncio.gather(
                *(
                    floor.open_conversation(visitor, f"burst {n}")
                    for n, visitor in enumerate(visitors)
                )
            )
        )

        def assignments() -> dict[str, list[str]]:
            """conversation id -> every agent told, on its own socket, that it got it."""
            got: dict[str, list[str]] = {}
            for agent, socket in zip(agents, agent_sockets, strict=True):
                for frame in socket.received:
                    data = frame["data"]
                    if (
                        frame["event"] == "conversation.assigned"
                        and data["assignee_id"] == agent.id
                    ):
                        got.setdefault(data["conversation_id"], []).append(agent.id)
            return got

        async def full() -> bool:
            return len(assignments()) >= capacity * agent_count

        await eventually(full, what="every slot filled", timeout=30)
        # Every conversation has been routed: assigned, or waiting with no slot left for it.
        still_waiting = await eventually(
            queue_order,
            lambda waiting: len(waiting) == conversation_count - capacity * agent_count,
            what="the conversations left waiting",
        )
        # A later message of a waiting conversation reaches every member of the inbox after
        # whatever chat pushed before it: a second assignment would be here by then.
        last_in_line = still_waiting[-1]
        await say(floor, visitors[ids.index(last_in_line)], last_in_line, "còn ai không")
        for socket in agent_sockets:
            await socket.expect("message.created", saying("còn ai không"))
    finally:
        watching = False
        await watcher
    pushed = assignments()
    assert len(pushed) == capacity * agent_count
    assert all(len(told) == 1 for told in pushed.values()), pushed
    per_agent = Counter(told[0] for told in pushed.values())
    assert per_agent == {agent.id: capacity for agent in agents}
    assert all(load <= capacity for seen in loads_seen for load in seen.values()), loads_seen
    assert await loads() == {agent.id: capacity for agent in agents}

    details = await asyncio.gather(*(conversation(floor, c) for c in ids))
    by_rest = {d["id"]: d["assignee_id"] for d in details}
    assert {c: a for c, a in by_rest.items() if a is not None} == {
        c: told[0] for c, told in pushed.items()
    }

    waiting = await queue_order()
    assert sorted(waiting) == sorted(c for c, a in by_rest.items() if a is None)
    assert len(waiting) == conversation_count - capacity * agent_count

    # One slot freed at a time: the oldest waiting conversation goes to the agent who freed it.
    for step in range(3):
        agent, socket = agents[step], agent_sockets[step]
        done = next(c for c, told in pushed.items() if told == [agent.id])
        pushed.pop(done)
        mark = len(socket.received)
        resolved = await floor.http.patch(
            f"/v1/conversations/{done}", json={"status": "resolved"}, headers=agent.headers
        )
        assert resolved.status_code == 200, resolved.text
        got = await seen(
            socket,
            "conversation.assigned",
            having(assignee_id=agent.id),
            since=mark,
        )
        assert got["data"]["conversation_id"] == waiting[step]

    # Every agent frees a slot at once: the six oldest still waiting are the ones taken.
    resolving = [
        (agent, next(c for c, told in pushed.items() if told == [agent.id])) for agent in agents
    ]
    responses = await asyncio.gather(
        *(
            floor.http.patch(
                f"/v1/conversations/{c}", json={"status": "resolved"}, headers=agent.headers
            )
            for agent, c in resolving
        )
    )
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
    oldest = set(waiting[3 : 3 + agent_count])

    async def next_six_taken() -> bool:
        remaining = await queue_order()
        return not oldest & set(remaining) and len(remaining) == len(waiting) - 3 - agent_count

    await eventually(next_six_taken, what="the six oldest waiting conversations assigned")
    assert await queue_order() == waiting[3 + agent_count :]
    assert await loads() == {agent.id: capacity for agent in agents}

    # Both routing processes consumed chat's stream in the one `routing` group.
    redis = Redis.from_url(suite.settings.redis_url)
    try:
        prefix = suite.env["SB_KEY_PREFIX"]
        consumers = await redis.xinfo_consumers(f"{{{prefix}}}:stream:chat", "routing")
    finally:
        await redis.aclose()
    assert len({c["name"] for c in consumers}) >= 2, consumers
