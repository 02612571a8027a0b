"""The people on sockets: a send with a signature or mentions, and an agent's notifications
on every device of his."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from switchboard.contracts.chat import Notification, NotificationCreated

from .conftest import Harness, agent, visitor


async def test_an_agents_send_passes_his_signature_and_mentions_to_chat(gw: Harness) -> None:
    account = uuid.uuid4()
    me, mentioned = agent(account), uuid.uuid4()
    conversation_id = str(uuid.uuid4())
    gw.stub.conversations[conversation_id] = {
        "id": conversation_id,
        "inbox_id": str(uuid.uuid4()),
        "visitor_id": str(uuid.uuid4()),
    }
    client = await gw.login(me)
    payload = {
        "conversation_id": conversation_id,
        "content": "see this",
        "private": True,
        "append_signature": True,
        "mentions": [str(mentioned)],
    }
    answer = await client.request("send_message", payload)
    assert answer["ok"] is True, answer
    assert gw.stub.requests[-1]["body"] == {
        "content": "see this",
        "private": True,
        "append_signature": True,
        "mentions": [str(mentioned)],
    }


async def test_a_visitor_cannot_mention_or_sign(gw: Harness) -> None:
    client = await gw.login(visitor(uuid.uuid4()))
    for extra in ({"mentions": [str(uuid.uuid4())]}, {"append_signature": True}):
        answer = await client.request(
            "send_message", {"conversation_id": str(uuid.uuid4()), "content": "hi", **extra}
        )
        assert answer["error"]["code"] == "forbidden"
    assert gw.stub.requests == []


async def test_a_notification_reaches_every_device_of_the_agent_and_nobody_else(
    gw: Harness,
) -> None:
    account = uuid.uuid4()
    me, colleague = agent(account), agent(account)
    phone, laptop, theirs = await gw.login(me), await gw.login(me), await gw.login(colleague)
    notification = Notification(
        id=uuid.uuid4(),
        kind="mention",
        conversation_id=uuid.uuid4(),
        actor_id=colleague.id,
        message_id=uuid.uuid4(),
        text="Chi mentioned you in a private note",
        created_at=datetime.now(UTC),
        read_at=None,
    )
    created = NotificationCreated(agent_id=me.id, notification=notification, unread_count=1)
    await gw.announce(created, account_id=account, key=me.id, audience=[f"agent:{me.id}"])

    for device in (phone, laptop):
        pushed = await device.expect("notification.created")
        assert pushed["data"]["notification"]["text"] == "Chi mentioned you in a private note"
        assert pushed["data"]["unread_count"] == 1
    # A later event on the same stream, for the colleague, is the barrier.
    await gw.publish(
        "chat", type="later", account_id=str(account), audience=[f"agent:{colleague.id}"]
    )
    await theirs.expect("later")
    assert theirs.pushes("notification.created") == []
