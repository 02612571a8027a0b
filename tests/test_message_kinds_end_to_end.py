"""Structured messages and their deletion end to end: real processes, sockets and HTTP."""

from __future__ import annotations

from switchboard.core.testing import SocketClient
from tests.conftest import Shop
from tests.suite import Suite, about
from tests.test_core_loop import open_chat

VOUCHER = {
    "code": "TET-2027",
    "title": "Giảm 10% dịp Tết",
    "discount": {"type": "percent", "percent": 10},
    "min_spend": {"amount": "200000", "currency": "VND"},
    "expires_at": "2027-02-10T23:59:59+07:00",
}


async def test_a_voucher_reaches_the_visitor_and_its_deletion_leaves_a_tombstone(
    suite: Suite, shop: Shop, sockets: list[SocketClient]
) -> None:
    agent, agent_socket, visitor, visitor_sock, conversation_id = await open_chat(
        suite, shop, sockets
    )
    await agent_socket.expect("conversation.assigned", about(conversation_id))

    sent = await agent_socket.request(
        "send_message", {"conversation_id": conversation_id, "kind": "voucher", "payload": VOUCHER}
    )
    assert sent["ok"], sent
    message_id = sent["payload"]["id"]
    pushed = await visitor_sock.expect(
        "message.created", lambda data: data["message"]["id"] == message_id
    )
    message = pushed["data"]["message"]
    assert (message["kind"], message["sender_type"]) == ("voucher", "agent")
    assert message["payload"]["code"] == "TET-2027"
    assert message["payload"]["expires_at"] == "2027-02-10T16:59:59Z"
    assert message["content"] == "Giảm 10% dịp Tết · TET-2027"

    path = f"/v1/conversations/{conversation_id}/messages/{message_id}"
    deleted = await shop.http.delete(path, headers=agent.headers)
    assert deleted.status_code == 204, deleted.text

    told = await visitor_sock.expect(
        "message.deleted", lambda data: data["message_id"] == message_id
    )
    assert told["data"]["conversation_id"] == conversation_id
    listed = await shop.http.get(
        f"/v1/public/conversations/{conversation_id}/messages", headers=visitor.headers
    )
    assert listed.status_code == 200, listed.text
    [tombstone] = [m for m in listed.json()["items"] if m["id"] == message_id]
    assert (tombstone["content"], tombstone["payload"]) == ("", None)
    assert tombstone["deleted_at"] == told["data"]["deleted_at"]
