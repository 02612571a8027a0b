"""One workday end to end, over the real processes as the clients would live it: HTTP through the
gateway and websockets. Lan (on her laptop and her phone) serves a visitor: she sends a photo,
a quick reply with placeholders, labels and stars the conversation, finds it by accent-free
words, mentions her colleague Minh in a private note, deletes a message, and reads the
conversation on one device while the other follows; the visitor's "seen" reaches her."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image

from switchboard.core.testing import SocketClient
from tests.conftest import Agent, Shop, Visitor, go_online, visitor_socket
from tests.suite import Suite, about, carrying, connect, saying, send_message, upload

VISITOR_NAME = "Nguyễn Thị Huyền"
FIRST_WORDS = "Cho mình hỏi về đơn hàng"


def receipt() -> bytes:
    """A small real PNG, as a phone's screenshot of an order would be."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 90)).save(out, "PNG")
    return out.getvalue()


@dataclass
class Workday:
    """Who takes part, their sockets, and the conversation they share."""

    shop: Shop
    lan: Agent
    minh: Agent
    laptop: SocketClient
    phone: SocketClient
    minh_socket: SocketClient
    visitor: Visitor
    visitor_socket: SocketClient
    conversation_id: str

    @property
    def path(self) -> str:
        return f"/v1/conversations/{self.conversation_id}"

    @property
    def lans(self) -> tuple[SocketClient, SocketClient]:
        return self.laptop, self.phone

    async def read(self, agent: Agent) -> dict[str, Any]:
        """The conversation as ``agent`` reads it (his star, his unread count)."""
        response = await self.shop.http.get(self.path, headers=agent.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def found_by(self, agent: Agent, q: str) -> list[str]:
        """The ids of the conversations ``agent`` finds by searching ``q``."""
        response = await self.shop.http.get(
            "/v1/conversations", params={"q": q}, headers=agent.headers
        )
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    async def visitor_messages(self) -> list[dict[str, Any]]:
        response = await self.shop.http.get(
            f"/v1/public/conversations/{self.conversation_id}/messages",
            headers=self.visitor.headers,
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items


async def morning(suite: Suite, shop: Shop, sockets: list[SocketClient]) -> Workday:
    """Lan comes online on two devices; Huyền opens a conversation and it goes to Lan."""
    lan = await shop.agent("Lan")
    minh = await shop.agent("Minh")  # in the inbox, not online: routing passes him over
    laptop = await go_online(suite, lan, sockets)
    phone = await connect(suite, "agent", lan.token)
    sockets.append(phone)
    visitor = await shop.visitor(VISITOR_NAME)
    visitor_sock = await visitor_socket(suite, visitor, sockets)
    conversation_id = await shop.open_conversation(visitor, FIRST_WORDS)

    for device in (laptop, phone):
        assigned = await device.expect("conversation.assigned", about(conversation_id))
        assert assigned["data"]["assignee_id"] == lan.id
    await visitor_sock.expect("conversation.assigned", about(conversation_id))
    minh_socket = await connect(suite, "agent", minh.token)  # once routing has chosen Lan
    sockets.append(minh_socket)
    return Workday(
        shop, lan, minh, laptop, phone, minh_socket, visitor, visitor_sock, conversation_id
    )


async def lan_sends_a_photo(day: Workday) -> None:
    image = await upload(
        day.shop.http,
        f"{day.path}/attachments",
        day.lan.headers,
        "hoá đơn.png",
        receipt(),
        "image/png",
    )
    assert (image["kind"], image["width"], image["height"]) == ("image", 64, 48)
    await send_message(day.laptop, day.conversation_id, "", attachment_ids=[image["id"]])

    pushed = await day.visitor_socket.expect("message.created", carrying(image["id"]))
    [attachment] = pushed["data"]["message"]["attachments"]
    assert attachment["file_name"] == "hoá đơn.png"
    download = await day.shop.http.get(attachment["url"])  # the signed link, no bearer
    assert download.status_code == 200, download.text
    assert download.headers["content-type"] == "image/png"
    assert download.content == receipt()


async def lan_sends_a_quick_reply(day: Workday) -> None:
    http, admin = day.shop.http, day.shop.admin
    created = await http.post(
        "/v1/canned-responses",
        json={
            "shortcut": "chao",
            "title": "Lời chào",
            "content": "Xin chào {{contact.name}}, mình là {{agent.name}}",
            "visibility": "account",
        },
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    reply_id = created.json()["id"]
    menu = {"file": ("thực đơn.txt", "Phở bò 50k".encode(), "text/plain")}
    attached = await http.post(
        f"/v1/canned-responses/{reply_id}/attachments", files=menu, headers=admin.headers
    )
    assert attached.status_code == 201, attached.text
    for q in ("chao", "xin chao"):  # the shortcut, then the content without its accents
        found = await http.get("/v1/canned-responses", params={"q": q}, headers=day.lan.headers)
        assert found.status_code == 200, found.text
        assert [item["id"] for item in found.json()["items"]] == [reply_id], q

    sent = await day.laptop.request(
        "send_message", {"conversation_id": day.conversation_id, "canned_response_id": reply_id}
    )
    assert sent["ok"], sent
    greeting = f"Xin chào {VISITOR_NAME}, mình là Lan"
    assert sent["payload"]["content"] == greeting
    pushed = await day.visitor_socket.expect("message.created", saying(greeting))
    [copy] = pushed["data"]["message"]["attachments"]  # the reply's file, copied for the visitor
    assert copy["id"] != attached.json()["id"] and copy["file_name"] == "thực đơn.txt"
    download = await http.get(copy["url"])
    assert (download.status_code, download.content) == (200, "Phở bò 50k".encode())


async def lan_labels_and_stars(day: Workday) -> None:
    http = day.shop.http
    label = await http.post(
        "/v1/labels",
        json={"name": "Giao hàng", "colour": "#1E88E5"},
        headers=day.shop.admin.headers,
    )
    assert label.status_code == 201, label.text
    label_id = label.json()["id"]
    put = await http.put(f"{day.path}/labels/{label_id}", headers=day.lan.headers)
    assert put.status_code == 200, put.text
    labelled = await day.phone.expect("conversation.labels_changed", about(day.conversation_id))
    assert [item["name"] for item in labelled["data"]["labels"]] == ["Giao hàng"]
    starred = await http.put(f"{day.path}/star", headers=day.lan.headers)
    assert starred.status_code in (200, 204), starred.text
    star = await day.phone.expect("conversation.star_changed", about(day.conversation_id))
    assert (star["data"]["agent_id"], star["data"]["starred"]) == (day.lan.id, True)

    hers = await day.read(day.lan)
    assert hers["labels"] == [{"id": label_id, "name": "Giao hàng", "colour": "#1e88e5"}]
    assert hers["starred"] is True
    his = await day.read(day.minh)  # a star is Lan's own; the label is the conversation's
    assert [item["name"] for item in his["labels"]] == ["Giao hàng"]
    assert his["starred"] is False


async def lan_finds_it_without_accents(day: Workday) -> None:
    assert day.conversation_id in await day.found_by(day.lan, "huyen")  # the visitor's name
    assert day.conversation_id in await day.found_by(day.lan, "don hang")  # her first words
    assert day.conversation_id not in await day.found_by(day.lan, "khong co dau")


async def lan_mentions_minh(day: Workday) -> None:
    note = "@Minh kiểm tra kho giúp mình"
    await send_message(day.laptop, day.conversation_id, note, private=True, mentions=[day.minh.id])
    pushed = await day.minh_socket.expect("notification.created")
    notification = pushed["data"]["notification"]
    assert notification["conversation_id"] == day.conversation_id
    assert notification["text"] == "Lan mentioned you in a private note"
    assert pushed["data"]["unread_count"] == 1
    listed = await day.shop.http.get("/v1/notifications", headers=day.minh.headers)
    assert listed.status_code == 200, listed.text
    assert [item["id"] for item in listed.json()["items"]] == [notification["id"]]
    assert listed.json()["unread_count"] == 1
    # Published after Lan's star, the notification is the barrier: her star never reached him.
    assert not day.minh_socket.pushes("conversation.star_changed")

    # The barrier: a later public message of the same stream reaches the visitor after it.
    await send_message(day.laptop, day.conversation_id, "Bạn chờ mình một chút nhé")
    await day.visitor_socket.expect("message.created", saying("Bạn chờ mình một chút nhé"))
    assert not day.visitor_socket.pushes("message.created", saying(note))
    assert note not in [message["content"] for message in await day.visitor_messages()]


async def lan_deletes_a_message(day: Workday) -> None:
    sent = await send_message(day.phone, day.conversation_id, "Đơn của bạn bị huỷ")  # wrong one
    message_id = sent["payload"]["id"]
    await day.visitor_socket.expect("message.created", saying("Đơn của bạn bị huỷ"))
    deleted = await day.shop.http.delete(
        f"{day.path}/messages/{message_id}", headers=day.lan.headers
    )
    assert deleted.status_code == 204, deleted.text

    told = [
        await socket.expect("message.deleted", lambda data: data["message_id"] == message_id)
        for socket in (day.visitor_socket, *day.lans)
    ]
    assert {push["data"]["conversation_id"] for push in told} == {day.conversation_id}
    [tombstone] = [m for m in await day.visitor_messages() if m["id"] == message_id]
    assert (tombstone["content"], tombstone["payload"]) == ("", None)
    assert tombstone["deleted_at"] == told[0]["data"]["deleted_at"]


async def both_sides_read(day: Workday) -> None:
    await send_message(day.visitor_socket, day.conversation_id, "Cảm ơn bạn nhiều")
    heard = await day.laptop.expect("message.created", saying("Cảm ơn bạn nhiều"))
    last_id = heard["data"]["message"]["id"]
    assert (await day.read(day.lan))["unread_count"] > 0

    marked = await day.laptop.request("mark_read", {"conversation_id": day.conversation_id})
    assert marked["ok"], marked
    assert marked["payload"]["unread_count"] == 0
    read = await day.phone.expect(
        "conversation.read",
        lambda data: (
            data["conversation_id"] == day.conversation_id and data["reader_type"] == "agent"
        ),
    )
    assert (read["data"]["reader_id"], read["data"]["last_read_message_id"]) == (
        day.lan.id,
        last_id,
    )
    assert (await day.read(day.lan))["unread_count"] == 0

    seen = await day.visitor_socket.request("mark_read", {"conversation_id": day.conversation_id})
    assert seen["ok"], seen
    for device in day.lans:
        told = await device.expect(
            "conversation.read",
            lambda data: (
                data["conversation_id"] == day.conversation_id and data["reader_type"] == "visitor"
            ),
        )
        assert told["data"]["reader_id"] == day.visitor.id
        assert told["data"]["last_read_message_id"] == last_id


async def test_a_workday_with_a_visitor(
    suite: Suite, shop: Shop, sockets: list[SocketClient]
) -> None:
    day = await morning(suite, shop, sockets)

    await lan_sends_a_photo(day)
    await lan_sends_a_quick_reply(day)
    await lan_labels_and_stars(day)
    await lan_finds_it_without_accents(day)
    await lan_mentions_minh(day)
    await lan_deletes_a_message(day)
    await both_sides_read(day)
