"""The socket protocol over real websockets: login, errors, delivery by audience."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import orjson

from switchboard.core.auth import Principal, Role
from switchboard.core.testing import SocketClient, eventually

from .conftest import GatewayFactory, Harness, agent, visitor


async def test_relay_copies_events_with_an_audience_to_the_push_stream(gw: Harness) -> None:
    account = str(uuid.uuid4())
    internal = await gw.publish("chat", type="inbox.created", account_id=account)
    public = await gw.publish(
        "chat", type="conversation.created", account_id=account, audience=["inbox:x"]
    )
    # The relay reads the chat stream in order: once the later event is pushed, the
    # internal one had its turn.
    pushed = await eventually(gw.pushed_ids, lambda ids: public.id in ids)
    assert internal.id not in pushed


async def test_login_by_first_frame_answers_who_is_connected(gw: Harness) -> None:
    me = visitor(uuid.uuid4())
    client = await gw.connect("visitor")
    answer = await client.request("login", {"token": gw.token(me)})
    assert answer["ok"] is True
    assert answer["payload"]["id"] == str(me.id)
    assert answer["payload"]["kind"] == "visitor"
    assert answer["payload"]["connection_id"]


async def test_login_by_query_string_needs_no_login_frame(gw: Harness) -> None:
    me = agent(uuid.uuid4(), role=Role.supervisor)
    client = await gw.connect("agent", token=gw.token(me))
    announced = await client.response(None)
    assert announced["action"] == "login" and announced["ok"] is True
    pong = await client.request("set_away", {"away": False})
    assert pong["ok"] is True


async def test_a_bad_token_is_refused_and_the_socket_closed(gw: Harness) -> None:
    client = await gw.connect("visitor")
    answer = await client.request("login", {"token": "not-a-token"})
    assert answer["ok"] is False
    assert answer["error"]["code"] == "invalid_token"
    assert await client.wait_closed() == (4403, "invalid_token")


async def test_an_agent_token_on_the_visitor_socket_is_the_wrong_socket(gw: Harness) -> None:
    client = await gw.connect("visitor")
    answer = await client.request("login", {"token": gw.token(agent(uuid.uuid4()))})
    assert answer["error"]["code"] == "wrong_socket"
    assert (await client.wait_closed())[1] == "wrong_socket"


async def test_a_bad_query_token_closes_the_socket(gw: Harness) -> None:
    client = await gw.connect("agent", token="nope")
    assert await client.wait_closed() == (4403, "invalid_token")


async def test_a_socket_not_logged_in_in_time_is_closed(gw_factory: GatewayFactory) -> None:
    async with gw_factory(ws_login_timeout_seconds=0.4) as gw:
        client = await gw.connect("visitor")
        assert (await client.request("ping"))["ok"] is True  # a ping is not a login
        assert await client.wait_closed() == (4001, "login_timeout")


async def test_an_idle_socket_is_closed(gw_factory: GatewayFactory) -> None:
    async with gw_factory(ws_idle_timeout_seconds=0.4) as gw:
        client = await gw.login(visitor(uuid.uuid4()))
        assert await client.wait_closed() == (4408, "idle_timeout")


async def test_an_expiring_token_closes_the_socket(gw: Harness) -> None:
    client = await gw.login(visitor(uuid.uuid4()), ttl_seconds=1)
    assert await client.wait_closed(timeout=5) == (4401, "token_expired")


async def test_ping_answers_pong_with_the_server_time(gw: Harness) -> None:
    client = await gw.login(visitor(uuid.uuid4()))
    answer = await client.request("ping")
    assert answer["ok"] is True
    assert answer["payload"]["pong"] is True
    assert answer["payload"]["time"].startswith("20")


async def test_unknown_actions_and_malformed_frames_keep_the_socket_open(gw: Harness) -> None:
    client = await gw.login(visitor(uuid.uuid4()))
    unknown = await client.request("dance")
    assert unknown["ok"] is False and unknown["error"]["code"] == "unknown_action"

    await client.send_raw("{not json")
    assert (await client.response(None))["error"]["code"] == "bad_frame"
    await client.send_raw(orjson.dumps({"type": "request", "request_id": "x-1"}).decode())
    missing_action = await client.response("x-1")
    assert missing_action["error"]["code"] == "bad_frame"

    bad = await client.request("typing", {"conversation_id": "nope", "typing": True})
    assert bad["error"]["code"] == "invalid_payload"
    assert (await client.request("ping"))["ok"] is True


async def test_actions_other_than_login_and_ping_need_a_login(gw: Harness) -> None:
    client = await gw.connect("visitor")
    answer = await client.request("resume", {"last_event_id": "0-0"})
    assert answer["error"]["code"] == "not_logged_in"


async def test_events_reach_only_their_audience(gw: Harness) -> None:
    account = uuid.uuid4()
    alice, bob = visitor(account), visitor(account)
    alice_twin_elsewhere = visitor(uuid.uuid4(), id=alice.id)
    a, b, twin = [await gw.login(p) for p in (alice, bob, alice_twin_elsewhere)]

    async def tell(who: Principal, data: dict[str, Any]) -> None:
        await gw.publish(
            "chat",
            type="message.created",
            account_id=str(who.account_id),
            audience=[f"visitor:{who.id}"],
            data=data,
        )

    await tell(alice, {"n": 1})
    await tell(bob, {"n": 2})
    await tell(alice_twin_elsewhere, {"n": 3})
    await tell(alice, {"n": 4})  # after everything else on the stream
    pushed = await a.expect("message.created")
    assert pushed["data"] == {"n": 1}
    assert "request_id" not in pushed
    assert (await b.expect("message.created"))["data"] == {"n": 2}
    assert (await twin.expect("message.created"))["data"] == {"n": 3}
    assert [f["data"] for f in b.pushes("message.created")] == [{"n": 2}]
    await a.expect("message.created", lambda data: data == {"n": 4})
    assert [f["data"] for f in a.pushes("message.created")] == [{"n": 1}, {"n": 4}]
    assert [f["data"] for f in twin.pushes("message.created")] == [{"n": 3}]


async def test_agents_hear_their_roles_and_inboxes(gw: Harness) -> None:
    account = uuid.uuid4()
    inbox = str(uuid.uuid4())
    plain = agent(account)
    boss = agent(account, role=Role.supervisor)
    gw.stub.inbox_ids[str(plain.id)] = [inbox]
    plain_client, boss_client = await gw.login(plain), await gw.login(boss)
    for audience in (["role:supervisor"], [f"inbox:{inbox}"], ["role:agent"]):
        await gw.publish(
            "routing",
            type="t",
            account_id=str(account),
            audience=audience,
            data={"to": audience[0]},
        )

    def heard(client: SocketClient) -> list[str]:
        return [frame["data"]["to"] for frame in client.pushes("t")]

    await boss_client.expect("t", lambda data: data["to"] == "role:agent")  # the last one
    assert heard(boss_client) == ["role:supervisor", "role:agent"]
    await plain_client.expect("t", lambda data: data["to"] == "role:agent")
    assert heard(plain_client) == [f"inbox:{inbox}", "role:agent"]


async def test_a_socket_that_pings_outlives_the_idle_timeout(gw_factory: GatewayFactory) -> None:
    async with gw_factory(ws_idle_timeout_seconds=0.5) as gw:
        client = await gw.login(visitor(uuid.uuid4()))
        for _ in range(8):  # 1.6 s: three idle timeouts, each ping restarting the clock
            await asyncio.sleep(0.2)
            assert (await client.request("ping"))["ok"] is True
        assert await client.wait_closed() == (4408, "idle_timeout")
