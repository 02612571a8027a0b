"""The people, end to end over the real processes: a deactivated agent is closed out at once
and his conversation goes to a colleague; a mention reaches every device of the agent it
names, who may then read the conversation."""

from __future__ import annotations

import httpx

from switchboard.core.testing import SocketClient, eventually
from tests.conftest import Shop
from tests.suite import Suite, connect


async def _online(suite: Suite, socket: SocketClient, http: httpx.AsyncClient, headers) -> None:
    answer = await socket.request("set_availability", {"status": "online"})
    assert answer["ok"], answer

    async def connected() -> bool:
        return bool((await http.get("/v1/me", headers=headers)).json()["online"])

    await eventually(connected, what="routing sees the agent online")


async def test_a_deactivated_agent_is_closed_out_and_his_conversation_goes_to_a_colleague(
    suite: Suite, shop: Shop, http: httpx.AsyncClient
) -> None:
    leaving = await shop.agent("Roi")
    socket = await connect(suite, "agent", leaving.token)
    await _online(suite, socket, http, leaving.headers)
    conversation_id = await shop.open_conversation()
    await socket.expect("conversation.assigned", lambda d: d["conversation_id"] == conversation_id)
    staying = await shop.agent("O")
    colleague = await connect(suite, "agent", staying.token)
    await _online(suite, colleague, http, staying.headers)

    off = await http.patch(
        f"/v1/agents/{leaving.id}", json={"active": False}, headers=shop.admin.headers
    )
    assert off.status_code == 200

    assert await socket.wait_closed() == (4403, "session_revoked")
    handed = await colleague.expect(
        "conversation.assigned",
        lambda d: d["conversation_id"] == conversation_id and d["assignee_id"] == staying.id,
    )
    assert handed["data"]["previous_assignee_id"] is None  # it went through the queue
    reasons = [
        push["data"]["reason"]
        for push in colleague.pushes("conversation.assigned")
        if push["data"]["conversation_id"] == conversation_id
    ]
    assert reasons == ["deactivated", "auto"]
    await colleague.close()


async def test_a_mention_reaches_every_device_and_opens_the_conversation(
    suite: Suite, shop: Shop, http: httpx.AsyncClient
) -> None:
    writer = await shop.agent("Lan")
    mentioned = await shop.agent("Khoa", member=False)
    phone = await connect(suite, "agent", mentioned.token)
    laptop = await connect(suite, "agent", mentioned.token)
    conversation_id = await shop.open_conversation()
    path = f"/v1/conversations/{conversation_id}"
    assert (await http.get(path, headers=mentioned.headers)).status_code == 404

    note = await http.post(
        f"{path}/messages",
        json={"content": "@Khoa can you check?", "private": True, "mentions": [mentioned.id]},
        headers=writer.headers,
    )
    assert note.status_code == 201, note.text

    for device in (phone, laptop):
        pushed = await device.expect("notification.created")
        assert pushed["data"]["notification"]["conversation_id"] == conversation_id
        assert pushed["data"]["notification"]["text"] == "Lan mentioned you in a private note"
    assert (await http.get(path, headers=mentioned.headers)).status_code == 200
    listed = (await http.get("/v1/notifications", headers=mentioned.headers)).json()
    [notification] = listed["items"]
    assert listed["unread_count"] == 1

    read = await http.post(
        f"/v1/notifications/{notification['id']}/read", headers=mentioned.headers
    )
    assert read.status_code == 200
    for device in (phone, laptop):
        seen = await device.expect("notification.read")
        assert seen["data"]["notification_id"] == notification["id"]
    await phone.close()
    await laptop.close()
