"""Trust, end to end over the real processes: no published secret
opens anything, roles and logins end at once on REST and sockets, an agent sees only what he
should, and bad or oversized input is refused with a code, never a 500."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import httpx
from pydantic import SecretStr

from switchboard.core.auth import Principal, Role
from switchboard.core.secrets import PUBLISHED_SECRETS
from switchboard.core.testing import SocketClient, bearer, eventually, token_for
from tests.conftest import Agent, Shop, login
from tests.suite import Suite, connect, send_message, turn_busy


async def test_a_token_signed_with_the_published_secret_opens_nothing(
    suite: Suite, shop: Shop, http: httpx.AsyncClient
) -> None:
    published = next(iter(PUBLISHED_SECRETS))
    # model_copy does not validate: these settings hold what Settings itself would refuse.
    forged_settings = suite.settings.model_copy(update={"jwt_secret": SecretStr(published)})
    admin = Principal(
        kind="agent",
        id=uuid.UUID(shop.admin.id),
        account_id=uuid.UUID(shop.account_id),
        role=Role.admin,
    )
    forged = token_for(forged_settings, admin)
    headers = bearer(forged)
    for path in ("/v1/me", "/v1/conversations", "/v1/contacts", "/v1/inboxes"):
        response = await http.get(path, headers=headers)
        assert response.status_code == 401, (path, response.text)
        assert response.json()["error"]["code"] == "invalid_token"
    socket = await SocketClient.open(f"{suite.ws_url}/v1/ws/agent?token={forged}")
    refused = await socket.response(None)  # the answer to the login by query string
    assert refused["ok"] is False and refused["error"]["code"] == "invalid_token"
    assert (await socket.wait_closed())[0] == 4403


async def test_the_demo_admin_has_a_random_password_shown_once(
    suite: Suite, http: httpx.AsyncClient
) -> None:
    first = suite.cli("demo")
    shown = re.search(r"admin@demo\.switchboard\.local / (\S+)", first)
    if shown is None:  # made earlier in this run: set a password of our own to check it works
        first = suite.cli("demo", "--admin-password", "a-password-of-ours")
        shown = re.search(r"admin@demo\.switchboard\.local / (\S+)", first)
    assert shown is not None, first
    assert await login(http, "admin@demo.switchboard.local", shown.group(1))
    old = await http.post(
        "/v1/auth/login",
        json={"email": "admin@demo.switchboard.local", "password": "switchboard-demo"},
    )
    assert old.status_code == 401


async def test_a_demoted_supervisor_loses_his_powers_on_rest_and_sockets_at_once(
    suite: Suite, shop: Shop, http: httpx.AsyncClient
) -> None:
    supervisor = await shop.agent("Giam", role="supervisor", member=False)
    socket = await connect(suite, "agent", supervisor.token)
    conversation_id = await shop.open_conversation()
    path = f"/v1/conversations/{conversation_id}"
    assert (await http.get(path, headers=supervisor.headers)).status_code == 200

    demoted = await http.patch(
        f"/v1/agents/{supervisor.id}", json={"role": "agent"}, headers=shop.admin.headers
    )
    assert demoted.status_code == 200
    assert await socket.wait_closed() == (4401, "session_changed")
    for stale in ("/v1/me", path, "/v1/contacts"):  # routing, chat and tickets all refuse
        response = await http.get(stale, headers=supervisor.headers)
        assert response.status_code == 401, (stale, response.text)
        assert response.json()["error"]["code"] == "session_changed"
    again = Agent(
        supervisor.id, supervisor.email, await login(http, supervisor.email, "a-long-password")
    )
    assert (await http.get("/v1/me", headers=again.headers)).json()["role"] == "agent"
    # Now an agent outside the conversation's inbox: it is not his to see.
    assert (await http.get(path, headers=again.headers)).status_code == 404


async def test_logout_closes_that_logins_socket_and_the_next_reuse_revokes_it_all(
    suite: Suite, shop: Shop, http: httpx.AsyncClient
) -> None:
    agent = await shop.agent("Lan")
    pair = (
        await http.post(
            "/v1/auth/login", json={"email": agent.email, "password": "a-long-password"}
        )
    ).json()
    socket = await connect(suite, "agent", pair["access_token"])
    other_socket = await connect(suite, "agent", agent.token)  # another login
    out = await http.post("/v1/auth/logout", headers=bearer(pair["access_token"]))
    assert out.status_code == 204
    assert await socket.wait_closed() == (4403, "session_revoked")
    assert (await other_socket.request("ping"))["ok"]
    refreshed = await http.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refreshed.status_code == 401
    await other_socket.close()


async def test_an_agent_sees_and_writes_his_inboxes_only_and_membership_applies_at_once(
    suite: Suite, shop: Shop, http: httpx.AsyncClient
) -> None:
    outsider = await shop.agent("Khach", member=False)
    socket = await connect(suite, "agent", outsider.token)
    admin_socket = await connect(suite, "agent", shop.admin.token)  # hears every conversation
    conversation_id = await shop.open_conversation()
    path = f"/v1/conversations/{conversation_id}"
    assert (await http.get(path, headers=outsider.headers)).status_code == 404
    assert (await http.get(f"{path}/messages", headers=outsider.headers)).status_code == 404
    sent = await socket.request(
        "send_message", {"conversation_id": conversation_id, "content": "lạc vào"}
    )
    assert sent["ok"] is False and sent["error"]["code"] == "conversation_not_found"
    listed = (await http.get("/v1/conversations", headers=outsider.headers)).json()["items"]
    assert conversation_id not in [item["id"] for item in listed]

    added = await http.post(
        f"/v1/inboxes/{shop.inbox_id}/members",
        json={"agent_id": outsider.id},
        headers=shop.admin.headers,
    )
    assert added.status_code == 201
    await socket.expect("inbox.member_added", lambda data: data["inbox_id"] == shop.inbox_id)

    async def reading() -> int:  # chat learns it from routing's event: milliseconds
        return (await http.get(path, headers=outsider.headers)).status_code

    await eventually(reading, lambda status: status == 200, what="the new member reads it")
    sent = await send_message(socket, conversation_id, "giờ thì được")

    removed = await http.delete(
        f"/v1/inboxes/{shop.inbox_id}/members/{outsider.id}", headers=shop.admin.headers
    )
    assert removed.status_code == 204
    await socket.expect("inbox.member_removed", lambda data: data["inbox_id"] == shop.inbox_id)
    another = await shop.open_conversation()
    await admin_socket.expect("conversation.created", lambda d: d["conversation"]["id"] == another)
    await turn_busy(socket)
    assert socket.pushes("conversation.created", lambda d: d["conversation"]["id"] == another) == []
    await socket.close()
    await admin_socket.close()


async def test_bad_text_is_refused_with_a_code_on_rest_and_sockets(
    suite: Suite, shop: Shop, http: httpx.AsyncClient
) -> None:
    json_body = {"content-type": "application/json"}
    nul_email = json.dumps({"name": "N", "email": "a\x00@b.vn", "password": "a-long-password"})
    for path, body, headers in (
        ("/v1/agents", nul_email, shop.admin.headers),
        ("/v1/auth/login", json.dumps({"email": "a\x00@b.vn", "password": "x"}), {}),
    ):
        response = await http.post(path, content=body, headers=headers | json_body)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["error"]["code"] == "invalid_text"
    search = await http.get("/v1/contacts", params={"q": "a\x00"}, headers=shop.admin.headers)
    assert search.status_code == 422
    assert search.json()["error"]["code"] == "invalid_text"

    visitor = await shop.visitor()
    opened = await http.post(
        "/v1/public/conversations", json={"content": "hi"}, headers=visitor.headers
    )
    conversation_id = opened.json()["id"]
    lone = '{"content": "a\\ud800b"}'
    response = await http.post(
        f"/v1/public/conversations/{conversation_id}/messages",
        content=lone,
        headers=visitor.headers | json_body,
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_text"
    socket = await connect(suite, "visitor", visitor.token)
    answer = await socket.request(
        "send_message", {"conversation_id": conversation_id, "content": "a\x00b"}
    )
    assert answer["ok"] is False and answer["error"]["code"] == "invalid_text"
    await socket.close()


async def test_oversized_input_is_refused_without_being_kept(
    suite: Suite, shop: Shop, http: httpx.AsyncClient
) -> None:
    too_big = b'{"name": "' + b"x" * (suite.settings.max_request_bytes + 10) + b'"}'
    response = await http.post(
        "/v1/inboxes",
        content=too_big,
        headers=shop.admin.headers | {"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"

    visitor = await shop.visitor()
    socket = await connect(suite, "visitor", visitor.token)
    frame: dict[str, Any] = {
        "type": "request",
        "request_id": "big",
        "action": "ping",
        "payload": {"padding": "x" * (suite.settings.ws_max_frame_bytes + 10)},
    }
    await socket.send_raw(json.dumps(frame))
    assert (await socket.wait_closed())[0] == 1009  # message too big


async def test_guessing_a_password_locks_the_email_out(shop: Shop, http: httpx.AsyncClient) -> None:
    agent = await shop.agent("Doan")
    for _ in range(10):
        wrong = await http.post(
            "/v1/auth/login", json={"email": agent.email, "password": "guess-guess"}
        )
        assert wrong.status_code == 401
    right = await http.post(
        "/v1/auth/login", json={"email": agent.email, "password": "a-long-password"}
    )
    assert right.status_code == 429
    assert right.json()["error"]["code"] == "login_locked"
    assert int(right.headers["retry-after"]) >= 1


async def test_a_revoked_visitor_is_disconnected_and_refused(
    suite: Suite, shop: Shop, http: httpx.AsyncClient
) -> None:
    visitor = await shop.visitor()
    socket = await connect(suite, "visitor", visitor.token)
    revoked = await http.delete(f"/v1/visitors/{visitor.id}/sessions", headers=shop.admin.headers)
    assert revoked.status_code == 204
    assert await socket.wait_closed() == (4403, "session_revoked")
    again = await http.get("/v1/public/conversations", headers=visitor.headers)
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "session_revoked"
