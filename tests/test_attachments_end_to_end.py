"""Files in a conversation end to end, over the real processes through the gateway: an agent
sends a photo, the visitor's socket hears it with its links and downloads it; the visitor
sends a voice note; a private note's file never reaches him."""

from __future__ import annotations

import io

from PIL import Image

from switchboard.core.testing import SocketClient
from tests.conftest import Shop, visitor_socket
from tests.suite import Suite, about, carrying, connect, upload

# The first page of an Ogg Opus stream, as a phone's voice note starts.
VOICE_NOTE = b"OggS\x00\x02" + bytes(20) + b"\x01\x13OpusHead\x01\x01" + bytes(4000)


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1024, 768), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


async def test_an_agent_sends_a_photo_and_the_visitor_a_voice_note(
    suite: Suite, shop: Shop, sockets: list[SocketClient]
) -> None:
    http = shop.http
    agent = await shop.agent("Lan")
    agent_socket = await connect(suite, "agent", agent.token)
    sockets.append(agent_socket)
    visitor = await shop.visitor()
    visitor_sock = await visitor_socket(suite, visitor, sockets)
    conversation_id = await shop.open_conversation(visitor)

    image = await upload(
        http,
        f"/v1/conversations/{conversation_id}/attachments",
        agent.headers,
        "ảnh đơn hàng.jpg",
        photo(),
        "image/jpeg",
    )
    assert (image["kind"], image["width"], image["height"]) == ("image", 1024, 768)
    answer = await agent_socket.request(
        "send_message",
        {
            "conversation_id": conversation_id,
            "content": "Ảnh đây ạ",
            "attachment_ids": [image["id"]],
        },
    )
    assert answer["ok"], answer
    pushed = await visitor_sock.expect("message.created", carrying(image["id"]))
    [attachment] = pushed["data"]["message"]["attachments"]
    download = await http.get(attachment["url"])  # no bearer: the signed link is enough
    assert download.status_code == 200
    assert download.content == photo()
    assert download.headers["content-type"] == "image/jpeg"
    thumbnail = await http.get(attachment["thumbnail_url"])
    with Image.open(io.BytesIO(thumbnail.content)) as small:
        assert small.size == (320, 240)

    voice = await upload(
        http,
        f"/v1/public/conversations/{conversation_id}/attachments",
        visitor.headers,
        "voice.webm",
        VOICE_NOTE,
        "audio/ogg",
    )
    assert (voice["kind"], voice["content_type"]) == ("audio", "audio/ogg")
    answer = await visitor_sock.request(
        "send_message", {"conversation_id": conversation_id, "attachment_ids": [voice["id"]]}
    )
    assert answer["ok"], answer
    heard = await agent_socket.expect("message.created", carrying(voice["id"]))
    assert heard["data"]["message"]["content"] == ""
    played = await http.get(heard["data"]["message"]["attachments"][0]["url"])
    assert played.content == VOICE_NOTE

    secret = await upload(
        http,
        f"/v1/conversations/{conversation_id}/attachments",
        agent.headers,
        "internal.txt",
        b"refund approved by finance",
        "text/plain",
    )
    note = {"conversation_id": conversation_id, "private": True, "attachment_ids": [secret["id"]]}
    assert (await agent_socket.request("send_message", note))["ok"]
    await agent_socket.expect("message.created", carrying(secret["id"]))
    # The barrier: a later public message of the same stream reaches the visitor after it.
    assert (
        await agent_socket.request(
            "send_message", {"conversation_id": conversation_id, "content": "Đã xong ạ"}
        )
    )["ok"]
    await visitor_sock.expect(
        "message.created", lambda data: data["message"]["content"] == "Đã xong ạ"
    )
    assert not any(
        frame.get("event") == "message.created"
        and about(conversation_id)(frame["data"])
        and carrying(secret["id"])(frame["data"])
        for frame in visitor_sock.received
    )
    files = await http.get(
        f"/v1/public/conversations/{conversation_id}/attachments", headers=visitor.headers
    )
    assert {a["id"] for a in files.json()["items"]} == {image["id"], voice["id"]}
