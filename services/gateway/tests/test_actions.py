"""Socket actions that reach other services, resume, and presence."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from switchboard.core.auth import Role, principal_from_token
from switchboard.core.events import Envelope, utcnow
from switchboard.core.testing import eventually

from .conftest import Harness, agent, visitor


def _conversation(account: uuid.UUID, **fields: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "account_id": str(account),
        "inbox_id": str(uuid.uuid4()),
        "visitor_id": str(uuid.uuid4()),
        "assignee_id": None,
        "status": "open",
        **fields,
    }


async def test_send_message_goes_to_chat_and_only_the_sender_sees_its_request_id(
    gw: Harness,
) -> None:
    account = uuid.uuid4()
    me = visitor(account)
    helper = agent(account)
    conversation = _conversation(account, visitor_id=str(me.id))
    gw.stub.conversations[conversation["id"]] = conversation
    gw.stub.inbox_ids[str(helper.id)] = [conversation["inbox_id"]]
    visitor_client, agent_client = await gw.login(me), await gw.login(helper)

    answer = await visitor_client.request(
        "send_message",
        {"conversation_id": conversation["id"], "content": "hello", "client_message_id": "m1"},
    )
    assert answer["ok"] is True
    assert answer["payload"]["content"] == "hello"
    sent = gw.stub.requests[-1]
    assert sent["path"] == f"/v1/public/conversations/{conversation['id']}/messages"
    assert sent["headers"]["authorization"].startswith("Bearer ")
    origin = f"{visitor_client.connection_id}:{answer['request_id']}"
    assert sent["headers"]["x-switchboard-origin"] == origin

    own = await visitor_client.expect("message.created")
    assert own["request_id"] == answer["request_id"]
    theirs = await agent_client.expect("message.created")
    assert "request_id" not in theirs
    assert theirs["id"] == own["id"]


VOUCHER = {
    "code": "SUMMER-20",
    "title": "20% off",
    "discount": {"type": "percent", "percent": 20},
}


async def test_an_agent_sends_a_voucher_and_chat_gets_its_kind_and_payload(gw: Harness) -> None:
    account = uuid.uuid4()
    helper = agent(account)
    conversation = _conversation(account)
    gw.stub.conversations[conversation["id"]] = conversation
    client = await gw.login(helper)

    answer = await client.request(
        "send_message",
        {"conversation_id": conversation["id"], "kind": "voucher", "payload": VOUCHER},
    )

    assert answer["ok"] is True, answer
    assert gw.stub.requests[-1]["body"] == {
        "kind": "voucher",
        "payload": {**VOUCHER, "min_spend": None, "expires_at": None},
        "private": False,
    }
    assert answer["payload"]["kind"] == "voucher"


async def test_a_visitor_sends_a_location_but_no_other_kind(gw: Harness) -> None:
    account = uuid.uuid4()
    me = visitor(account)
    conversation = _conversation(account, visitor_id=str(me.id))
    gw.stub.conversations[conversation["id"]] = conversation
    client = await gw.login(me)
    at = {"latitude": 10.77, "longitude": 106.7}

    located = await client.request(
        "send_message", {"conversation_id": conversation["id"], "kind": "location", "payload": at}
    )
    assert located["ok"] is True, located
    asked = len(gw.stub.requests)
    refused = await client.request(
        "send_message",
        {"conversation_id": conversation["id"], "kind": "voucher", "payload": VOUCHER},
    )
    assert refused["ok"] is False
    assert refused["error"]["code"] == "forbidden"
    assert len(gw.stub.requests) == asked  # chat was never asked


async def test_an_agent_sends_a_quick_reply_by_its_id_and_a_visitor_may_not(
    gw: Harness,
) -> None:
    account = uuid.uuid4()
    conversation = _conversation(account)
    gw.stub.conversations[conversation["id"]] = conversation
    reply_id = str(uuid.uuid4())
    send = {"conversation_id": conversation["id"], "canned_response_id": reply_id}

    answer = await (await gw.login(agent(account))).request("send_message", send)
    assert answer["ok"] is True, answer
    assert gw.stub.requests[-1]["body"] == {"canned_response_id": reply_id, "private": False}

    asked = len(gw.stub.requests)
    refused = await (await gw.login(visitor(account))).request("send_message", send)
    assert refused["error"]["code"] == "forbidden"
    assert len(gw.stub.requests) == asked  # chat was never asked


async def test_a_bad_payload_is_refused_naming_its_field(gw: Harness) -> None:
    client = await gw.login(agent(uuid.uuid4()))
    bad = {**VOUCHER, "discount": {"type": "percent", "percent": 120}}
    answer = await client.request(
        "send_message", {"conversation_id": str(uuid.uuid4()), "kind": "voucher", "payload": bad}
    )
    assert answer["ok"] is False
    assert answer["error"]["code"] == "invalid_payload"
    assert answer["error"]["message"].startswith("voucher.payload.discount.percent.percent:")
    unknown = await client.request(
        "send_message", {"conversation_id": str(uuid.uuid4()), "kind": "sticker", "payload": {}}
    )
    assert unknown["error"]["code"] == "invalid_payload"
    assert "kind must be one of" in unknown["error"]["message"]


async def test_a_chat_refusal_becomes_an_error_with_chats_code(gw: Harness) -> None:
    client = await gw.login(agent(uuid.uuid4()))
    answer = await client.request(
        "send_message", {"conversation_id": str(uuid.uuid4()), "content": "hi"}
    )
    assert answer["ok"] is False
    assert answer["error"] == {"code": "conversation_not_found", "message": "no such conversation"}


async def test_mark_read_goes_to_chat_as_the_caller(gw: Harness) -> None:
    account = uuid.uuid4()
    me, helper = visitor(account), agent(account)
    conversation = _conversation(account, visitor_id=str(me.id))
    gw.stub.conversations[conversation["id"]] = conversation
    visitor_client, agent_client = await gw.login(me), await gw.login(helper)
    message_id = str(uuid.uuid4())

    seen = await visitor_client.request("mark_read", {"conversation_id": conversation["id"]})
    assert seen["ok"] is True, seen
    assert gw.stub.requests[-1] == {
        "path": f"/v1/public/conversations/{conversation['id']}/read",
        "body": {},
    }
    read = await agent_client.request(
        "mark_read", {"conversation_id": conversation["id"], "message_id": message_id}
    )
    assert read["payload"]["last_read_message_id"] == message_id
    assert gw.stub.requests[-1] == {
        "path": f"/v1/conversations/{conversation['id']}/read",
        "body": {"message_id": message_id},
    }

    unknown = await agent_client.request("mark_read", {"conversation_id": str(uuid.uuid4())})
    assert unknown["error"]["code"] == "conversation_not_found"
    bad = await agent_client.request(
        "mark_read", {"conversation_id": conversation["id"], "message_id": "the last one"}
    )
    assert bad["error"]["code"] == "invalid_payload"


async def test_visitor_typing_reaches_the_assignee_and_agent_typing_the_visitor(
    gw: Harness,
) -> None:
    account = uuid.uuid4()
    me, assignee, bystander = visitor(account), agent(account), agent(account)
    conversation = _conversation(account, visitor_id=str(me.id), assignee_id=str(assignee.id))
    gw.stub.conversations[conversation["id"]] = conversation
    v, a, other = [await gw.login(p) for p in (me, assignee, bystander)]

    answer = await v.request("typing", {"conversation_id": conversation["id"], "typing": True})
    assert answer["ok"] is True, answer
    typing = await a.expect("typing")
    assert typing["data"] == {
        "conversation_id": conversation["id"],
        "sender_type": "visitor",
        "sender_id": str(me.id),
        "typing": True,
    }
    answer = await a.request("typing", {"conversation_id": conversation["id"], "typing": False})
    assert answer["ok"] is True, answer
    back = await v.expect("typing")
    assert back["data"]["sender_type"] == "agent" and back["data"]["typing"] is False
    # Typing goes on the gateway's stream: a later event there reaches the bystander after
    # any typing would have.
    await gw.publish(
        "gateway", type="later", account_id=str(account), audience=[f"agent:{bystander.id}"]
    )
    await other.expect("later")
    assert other.pushes("typing") == []


async def test_set_availability_goes_to_routing_and_visitors_may_not(gw: Harness) -> None:
    client = await gw.login(agent(uuid.uuid4()))
    answer = await client.request("set_availability", {"status": "online"})
    assert answer["payload"] == {"status": "online", "agent": "me"}
    refused = await client.request(
        "set_availability", {"status": "busy", "accept_auto_assign": True}
    )
    assert refused["error"]["code"] == "inconsistent_availability"
    visitor_client = await gw.login(visitor(uuid.uuid4()))
    answer = await visitor_client.request("set_availability", {"status": "online"})
    assert answer["error"]["code"] == "forbidden"


async def test_resume_replays_the_missed_events_in_order(gw: Harness) -> None:
    account = uuid.uuid4()
    me = visitor(account)
    first = await gw.login(me)
    await gw.publish(
        "chat", type="n", account_id=str(account), audience=[f"visitor:{me.id}"], data={"n": 0}
    )
    seen = await first.expect("n")
    await first.close()

    for n in (1, 2):
        await gw.publish(
            "chat", type="n", account_id=str(account), audience=[f"visitor:{me.id}"], data={"n": n}
        )
        last = await gw.publish(
            "chat",
            type="n",
            account_id=str(account),
            audience=["visitor:someone-else"],
            data={"n": -n},
        )
    await eventually(gw.pushed_ids, lambda ids: last.id in ids, what="the relay pushed them")

    again = await gw.login(me)
    answer = await again.request("resume", {"last_event_id": seen["id"]})
    assert answer["ok"] is True
    assert answer["payload"] == {"replayed": 2}
    replayed = [await again.expect("n"), await again.expect("n")]
    assert [e["data"]["n"] for e in replayed] == [1, 2]
    assert replayed[0]["id"] < replayed[1]["id"] or len(replayed[0]["id"]) < len(replayed[1]["id"])
    await gw.publish("chat", type="live", account_id=str(account), audience=[f"visitor:{me.id}"])
    await again.expect("live")  # after the replay: nothing else was replayed
    assert [e["data"]["n"] for e in again.pushes("n")] == [1, 2]


async def test_resume_from_before_the_retention_asks_for_a_resync(gw: Harness) -> None:
    account = uuid.uuid4()
    me = visitor(account)
    client = await gw.login(me)
    for n in range(3):
        await gw.publish(
            "chat", type="n", account_id=str(account), audience=[f"visitor:{me.id}"], data={"n": n}
        )
    oldest = await client.expect("n")
    await client.expect("n")
    await client.expect("n")
    await gw.redis.xtrim(gw.push_stream, maxlen=1, approximate=False)
    answer = await client.request("resume", {"last_event_id": oldest["id"]})
    assert answer["ok"] is False
    assert answer["error"]["code"] == "resync_required"


async def _presence(gw: Harness, agent_id: str, count: int) -> list[Envelope]:
    """The agent's presence.changed on the gateway's stream, once there are ``count``."""

    async def announced() -> list[Envelope]:
        return [
            e for e in await gw.stream_events("gateway", "presence.changed") if e.key == agent_id
        ]

    return await eventually(announced, lambda found: len(found) >= count)


async def test_presence_is_announced_on_connect_away_and_after_the_grace(gw: Harness) -> None:
    account = uuid.uuid4()
    me = agent(account)
    boss = await gw.login(agent(account, role=Role.supervisor))
    phone = await gw.login(me)
    assert [e.data for e in await _presence(gw, str(me.id), 1)] == [
        {"agent_id": str(me.id), "online": True, "connections": 1}
    ]
    pushed = await boss.expect("presence.changed", lambda data: data["agent_id"] == str(me.id))
    assert pushed["data"]["online"] is True

    laptop = await gw.login(me)  # a second connection changes nothing visible
    assert (await phone.request("set_away", {"away": True}))["payload"]["online"] is True
    answer = await laptop.request("set_away", {"away": True})
    assert answer["payload"] == {"away": True, "online": False}
    assert [e.data["online"] for e in await _presence(gw, str(me.id), 2)] == [True, False]
    await laptop.request("set_away", {"away": False})
    assert [e.data["online"] for e in await _presence(gw, str(me.id), 3)] == [True, False, True]

    closed_at = utcnow()
    await laptop.close()
    await phone.close()
    *before, offline = await _presence(gw, str(me.id), 4)
    assert [e.data["online"] for e in before] == [True, False, True]
    assert offline.data == {"agent_id": str(me.id), "online": False, "connections": 0}
    grace = timedelta(seconds=gw.settings.presence_grace_seconds)
    assert offline.occurred_at - closed_at >= grace  # not before the grace was over


async def test_a_reconnect_within_the_grace_does_not_flap(gw: Harness) -> None:
    me = agent(uuid.uuid4())
    grace = timedelta(seconds=gw.settings.presence_grace_seconds)
    first = await gw.login(me)
    assert len(await _presence(gw, str(me.id), 1)) == 1
    await first.close()
    second = await gw.login(me)
    # The first socket's grace runs out while the second is open (the condition of a flap, not
    # the proof of its absence: that is the offline of the second, below).
    await asyncio.sleep(2 * grace.total_seconds())
    closed_at = utcnow()
    await second.close()
    announced = await _presence(gw, str(me.id), 2)
    assert [e.data["online"] for e in announced] == [True, False]
    assert announced[-1].occurred_at - closed_at >= grace  # the second socket's offline


async def test_accept_offer_calls_routing_with_the_callers_token_and_passes_its_refusal(
    gw: Harness,
) -> None:
    me = agent(uuid.uuid4())
    client = await gw.login(me)
    offer_id = str(uuid.uuid4())

    won = await client.request("accept_offer", {"offer_id": offer_id})
    assert won["ok"] is True, won
    assert won["payload"] == {"id": offer_id, "status": "accepted", "winner_id": str(me.id)}
    sent = gw.stub.requests[-1]
    assert sent["path"] == f"/v1/offers/{offer_id}/accept"
    caller = principal_from_token(gw.settings, client_token(sent))
    assert (caller.id, caller.kind) == (me.id, "agent")
    late = await client.request("accept_offer", {"offer_id": offer_id})
    assert late["ok"] is False
    assert late["error"]["code"] == "offer_taken"
    bad = await client.request("accept_offer", {"offer_id": "not-a-uuid"})
    assert bad["error"]["code"] == "invalid_payload"


async def test_transfers_are_accepted_and_rejected_with_a_reason(gw: Harness) -> None:
    client = await gw.login(agent(uuid.uuid4()))
    transfer_id = str(uuid.uuid4())

    accepted = await client.request("accept_transfer", {"transfer_id": transfer_id})
    assert accepted["payload"] == {"id": transfer_id, "status": "accepted"}
    assert gw.stub.requests[-1]["path"] == f"/v1/transfers/{transfer_id}/accept"
    rejected = await client.request(
        "reject_transfer", {"transfer_id": transfer_id, "reason": "busy"}
    )
    assert rejected["payload"] == {"id": transfer_id, "status": "rejected", "reason": "busy"}
    assert gw.stub.requests[-1]["body"] == {"reason": "busy"}
    gw.stub.expired_transfers.add(transfer_id)
    late = await client.request("reject_transfer", {"transfer_id": transfer_id})
    assert late["error"] == {"code": "transfer_expired", "message": "the transfer has expired"}


async def test_visitors_cannot_answer_offers_or_transfers(gw: Harness) -> None:
    client = await gw.login(visitor(uuid.uuid4()))
    for action, payload in (
        ("accept_offer", {"offer_id": str(uuid.uuid4())}),
        ("accept_transfer", {"transfer_id": str(uuid.uuid4())}),
        ("reject_transfer", {"transfer_id": str(uuid.uuid4())}),
    ):
        answer = await client.request(action, payload)
        assert answer["error"]["code"] == "forbidden", answer


def client_token(sent: dict[str, Any]) -> str:
    """The bearer token routing received."""
    token: str = sent["headers"]["authorization"].removeprefix("Bearer ")
    return token
