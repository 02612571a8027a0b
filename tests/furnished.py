"""A shop with one of everything the public API names by id, made through the API.

The contract tests (the access matrix, schemathesis) call every path of the public OpenAPI
with real ids: ``Furnished.ids`` maps each path parameter name to an object of the shop.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

import httpx

from switchboard.core.testing import eventually
from tests.conftest import Agent, Shop, Visitor, open_shop
from tests.suite import Suite, connect

# The path parameters of the public API, each an object of the shop in ``Furnished.ids``.
ID_NAMES = (
    "conversation_id",
    "inbox_id",
    "agent_id",
    "team_id",
    "visitor_id",
    "contact_id",
    "transfer_id",
    "invitation_id",
    "offer_id",
    "widget_token",
    "label_id",
    "message_id",
    "notification_id",
    "attachment_id",
    "canned_response_id",
)


@dataclass
class Furnished:
    """The shop, its people and its objects.

    The conversation was offered to ``member`` (broadcast), taken by the admin, who invited
    ``member`` (pending) and then transferred it to a team nobody is in: it waits in that
    team's queue. ``member`` mentioned the admin in a private note (the admin's unread
    notification). The admin saved an account-wide quick reply, with a file. ``outsider`` is
    an agent of the shop in no inbox. The shop has one label.
    """

    shop: Shop
    member: Agent
    supervisor: Agent
    outsider: Agent
    visitor: Visitor  # the conversation's visitor
    bystander: Visitor  # a visitor of the same inbox without a conversation
    ids: dict[str, str]

    @property
    def admin(self) -> Agent:
        return self.shop.admin


async def furnish(suite: Suite, http: httpx.AsyncClient) -> Furnished:
    shop = await open_shop(suite, http)
    admin = shop.admin
    await _ok(
        http.post(
            f"/v1/inboxes/{shop.inbox_id}/members",
            json={"agent_id": admin.id},
            headers=admin.headers,
        )
    )
    member = await shop.agent("Lan")
    supervisor = await shop.agent("Vy", role="supervisor", member=False)
    outsider = await shop.agent("Khoa", member=False)
    team = await _ok(http.post("/v1/teams", json={"name": "Billing"}, headers=admin.headers))
    await _ok(
        http.put(
            f"/v1/inboxes/{shop.inbox_id}/routing",
            json={"strategy": "broadcast"},
            headers=admin.headers,
        )
    )
    visitor, bystander = await shop.visitor(), await shop.visitor("Minh")

    socket = await connect(suite, "agent", member.token)
    try:
        online = {"status": "online", "accept_auto_assign": True}
        assert (await socket.request("set_availability", online))["ok"]
        await eventually(lambda: _online(http, member), what=f"routing sees {member.email} online")
        conversation = await _ok(
            http.post(
                "/v1/public/conversations", json={"content": "Xin chào"}, headers=visitor.headers
            )
        )
        conversation_id = conversation["id"]
        offer = await socket.expect(
            "offer.created", lambda data: data["conversation_id"] == conversation_id
        )
    finally:
        await socket.close()

    on_conversation = f"/v1/conversations/{conversation_id}"
    await _ok(
        http.post(
            f"{on_conversation}/assignment", json={"agent_id": admin.id}, headers=admin.headers
        )
    )
    invitation = await _ok(
        http.post(
            f"{on_conversation}/invitations", json={"agent_id": member.id}, headers=admin.headers
        )
    )
    transfer = await _ok(
        http.post(
            f"{on_conversation}/transfers", json={"to_team_id": team["id"]}, headers=admin.headers
        )
    )
    contact_id = await _contact_of(http, admin, visitor)
    label = await _ok(
        http.post(
            "/v1/labels", json={"name": "Logistics", "colour": "#1e88e5"}, headers=admin.headers
        )
    )
    messages = await _ok(http.get(f"{on_conversation}/messages", headers=admin.headers))
    note = {"content": "@Admin see this", "private": True, "mentions": [admin.id]}
    await _ok(http.post(f"{on_conversation}/messages", json=note, headers=member.headers))
    notifications = await _ok(http.get("/v1/notifications", headers=admin.headers))
    attachment = await _sent_file(http, visitor, conversation_id)
    canned_response = await _ok(
        http.post(
            "/v1/canned-responses",
            json={
                "shortcut": "chao",
                "title": "Greeting",
                "content": "Xin chào {{contact.name}}",
                "visibility": "account",
            },
            headers=admin.headers,
        )
    )
    reply_file = {"file": ("map.txt", "Bản đồ cửa hàng".encode(), "text/plain")}
    await _ok(
        http.post(
            f"/v1/canned-responses/{canned_response['id']}/attachments",
            files=reply_file,
            headers=admin.headers,
        )
    )
    ids = {
        "conversation_id": conversation_id,
        "inbox_id": shop.inbox_id,
        "agent_id": member.id,
        "team_id": team["id"],
        "visitor_id": bystander.id,
        "contact_id": contact_id,
        "transfer_id": transfer["id"],
        "invitation_id": invitation["id"],
        "offer_id": offer["data"]["offer_id"],
        "widget_token": shop.widget_token,
        "label_id": label["id"],
        "message_id": messages["items"][-1]["id"],  # the visitor's first
        "notification_id": notifications["items"][0]["id"],
        "attachment_id": attachment["id"],
        "canned_response_id": canned_response["id"],
    }
    assert set(ids) == set(ID_NAMES)
    return Furnished(shop, member, supervisor, outsider, visitor, bystander, ids)


async def _ok(request: Awaitable[httpx.Response]) -> Any:
    response = await request
    assert response.is_success, response.text
    return response.json()


async def _sent_file(http: httpx.AsyncClient, visitor: Visitor, conversation_id: str) -> Any:
    """A file the visitor uploaded and sent in his conversation: its attachment."""
    on_conversation = f"/v1/public/conversations/{conversation_id}"
    upload = {"file": ("order.txt", "Đơn hàng 42".encode(), "text/plain")}
    attachment = await _ok(
        http.post(f"{on_conversation}/attachments", files=upload, headers=visitor.headers)
    )
    body = {"attachment_ids": [attachment["id"]]}
    await _ok(http.post(f"{on_conversation}/messages", json=body, headers=visitor.headers))
    return attachment


async def _online(http: httpx.AsyncClient, agent: Agent) -> bool:
    me = await _ok(http.get("/v1/me", headers=agent.headers))
    return bool(me["online"])


async def _contact_of(http: httpx.AsyncClient, admin: Agent, visitor: Visitor) -> str:
    """The contact tickets made of the visitor (from chat's ``visitor.created``)."""
    found: dict[str, str] = {}

    async def made() -> bool:
        page = await _ok(http.get("/v1/contacts", headers=admin.headers))
        found.update({c["visitor_id"]: c["id"] for c in page["items"]})
        return visitor.id in found

    await eventually(made, what=f"a contact of visitor {visitor.id}")
    return found[visitor.id]
