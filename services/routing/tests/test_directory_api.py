"""The routing API over HTTP: login, tokens, the caller, agents, inbox members."""

import json
import uuid
from datetime import timedelta

import httpx
import jwt
from fastapi import FastAPI

from switchboard.core.auth import Principal, Role
from switchboard.core.events import utcnow
from switchboard.core.testing import bearer, token_for

from .helpers import PASSWORD, error_code, login


class TestLogin:
    async def test_right_credentials_give_a_working_token_pair(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        response = await login(routing_client, admin.email.upper())
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "bearer"
        assert body["expires_in"] == routing_kit.settings.access_token_ttl_seconds
        me = await routing_client.get("/v1/me", headers=bearer(body["access_token"]))
        assert me.status_code == 200
        assert me.json()["id"] == str(admin.id)
        assert me.json()["role"] == "admin"

    async def test_wrong_password_or_unknown_email_is_401(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        wrong = await login(routing_client, admin.email, "not the password")
        unknown = await login(routing_client, "nobody@example.com")
        for response in (wrong, unknown):
            assert (response.status_code, error_code(response)) == (401, "invalid_credentials")

    async def test_a_refresh_token_is_not_an_access_token(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        pair = (await login(routing_client, admin.email)).json()
        response = await routing_client.get("/v1/me", headers=bearer(pair["refresh_token"]))
        assert (response.status_code, error_code(response)) == (401, "invalid_token")


class TestRefresh:
    async def test_refresh_rotates_and_the_old_token_stops_working(
        self, routing_client, routing_kit
    ):
        admin = await routing_kit.new_account()
        first = (await login(routing_client, admin.email)).json()
        second = await routing_client.post(
            "/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
        )
        assert second.status_code == 200
        pair = second.json()
        assert pair["refresh_token"] != first["refresh_token"]
        me = await routing_client.get("/v1/me", headers=bearer(pair["access_token"]))
        assert me.json()["id"] == str(admin.id)

        third = await routing_client.post(
            "/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
        )
        assert third.status_code == 200

    async def test_a_spent_refresh_token_used_again_revokes_the_whole_login(
        self, routing_client, routing_kit
    ):
        admin = await routing_kit.new_account()
        stolen = (await login(routing_client, admin.email)).json()
        other_device = (await login(routing_client, admin.email)).json()
        owner = (
            await routing_client.post(
                "/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]}
            )
        ).json()

        reused = await routing_client.post(
            "/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]}
        )
        assert (reused.status_code, error_code(reused)) == (401, "refresh_token_reused")
        # Every token of that login stops: the refresh the owner holds, and his access token.
        again = await routing_client.post(
            "/v1/auth/refresh", json={"refresh_token": owner["refresh_token"]}
        )
        assert again.status_code == 401
        me = await routing_client.get("/v1/me", headers=bearer(owner["access_token"]))
        assert (me.status_code, error_code(me)) == (401, "session_revoked")
        # Another login of the same agent is untouched.
        mine = await routing_client.get("/v1/me", headers=bearer(other_device["access_token"]))
        assert mine.status_code == 200

    async def test_an_expired_refresh_token_is_refused(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        principal = Principal(kind="agent", id=admin.id, account_id=admin.account_id)
        expired = token_for(routing_kit.settings, principal, token_type="refresh", ttl_seconds=-10)
        response = await routing_client.post("/v1/auth/refresh", json={"refresh_token": expired})
        assert (response.status_code, error_code(response)) == (401, "token_expired")

    async def test_a_forged_or_unknown_refresh_token_is_refused(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        principal = Principal(kind="agent", id=admin.id, account_id=admin.account_id)
        never_issued = token_for(
            routing_kit.settings, principal, token_type="refresh", ttl_seconds=60
        )
        claims = {"sub": str(admin.id), "acc": str(admin.account_id), "typ": "refresh"}
        forged = jwt.encode(
            {**claims, "exp": utcnow() + timedelta(minutes=1)},
            "a-different-secret-of-32-bytes-or-more",
            algorithm="HS256",
        )
        for token in (never_issued, forged, "not-a-jwt"):
            response = await routing_client.post("/v1/auth/refresh", json={"refresh_token": token})
            assert (response.status_code, error_code(response)) == (401, "invalid_token")


class TestAvailability:
    async def test_new_agents_are_offline_and_accepting(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        me = (await routing_client.get("/v1/me", headers=admin.headers)).json()
        assert me["status"] == "offline"
        assert me["accept_auto_assign"] is True
        assert me["online"] is False
        assert me["inbox_ids"] == []

    async def test_setting_availability_is_stored_and_announced(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        response = await routing_client.put(
            "/v1/me/availability",
            headers=admin.headers,
            json={"status": "busy", "accept_auto_assign": False},
        )
        assert response.status_code == 200
        assert response.json()["status"] == "busy"
        assert response.json()["accept_auto_assign"] is False
        me = (await routing_client.get("/v1/me", headers=admin.headers)).json()
        assert (me["status"], me["accept_auto_assign"]) == ("busy", False)

        changes = await routing_kit.routing_events(admin.account_id, "agent.availability_changed")
        assert [e.data for e in changes] == [
            {"agent_id": str(admin.id), "status": "busy", "accept_auto_assign": False}
        ]
        assert set(changes[0].audience) == {f"agent:{admin.id}", "role:supervisor"}

    async def test_an_unknown_status_is_422_in_the_error_shape(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        response = await routing_client.put(
            "/v1/me/availability", headers=admin.headers, json={"status": "away"}
        )
        assert (response.status_code, error_code(response)) == (422, "validation_error")


class TestAgents:
    async def test_an_admin_creates_an_agent_who_can_log_in(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        email = f"Chi-{uuid.uuid4().hex[:8]}@Example.com"
        response = await routing_client.post(
            "/v1/agents",
            headers=admin.headers,
            json={"name": "Chi", "email": email, "password": PASSWORD, "role": "supervisor"},
        )
        assert response.status_code == 201
        agent = response.json()
        assert agent["email"] == email.lower()
        assert agent["role"] == "supervisor"
        assert agent["account_id"] == str(admin.account_id)
        assert "password" not in str(agent)
        assert (await login(routing_client, email)).status_code == 200

        created = await routing_kit.routing_events(admin.account_id, "agent.created")
        assert {
            "agent_id": agent["id"],
            "name": "Chi",
            "email": email.lower(),
            "role": "supervisor",
        } in [e.data for e in created]

    async def test_an_email_is_taken_across_accounts_and_case(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        other = await routing_kit.new_account()
        response = await routing_client.post(
            "/v1/agents",
            headers=other.headers,
            json={"name": "Dup", "email": admin.email.upper(), "password": PASSWORD},
        )
        assert (response.status_code, error_code(response)) == (409, "email_taken")

    async def test_only_admins_create_agents(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        body = {"name": "X", "email": f"x-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD}
        for role in (Role.agent, Role.supervisor):
            caller = await routing_kit.new_agent(admin.account_id, role=role)
            response = await routing_client.post("/v1/agents", headers=caller.headers, json=body)
            assert (response.status_code, error_code(response)) == (403, "forbidden")
        listing = await routing_client.get("/v1/agents", headers=admin.headers)
        assert body["email"] not in [item["email"] for item in listing.json()["items"]]
        anonymous = await routing_client.post("/v1/agents", json=body)
        assert anonymous.status_code == 401

    async def test_bad_input_is_422_in_the_error_shape(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        bad_bodies = [
            {"name": "Short", "email": "s@example.com", "password": "short"},
            {"name": "Bad", "email": "not-an-email", "password": PASSWORD},
            {"name": "Role", "email": "r@example.com", "password": PASSWORD, "role": "owner"},
            {"name": "Extra", "email": "e@example.com", "password": PASSWORD, "admin": True},
            {"name": "", "email": "n@example.com", "password": PASSWORD},
        ]
        for body in bad_bodies:
            response = await routing_client.post("/v1/agents", headers=admin.headers, json=body)
            assert response.status_code == 422, body
            error = response.json()["error"]
            assert error["code"] == "validation_error"
            assert error["details"]

    async def test_text_no_database_keeps_is_refused_with_its_own_code(
        self, routing_client, routing_kit
    ):
        admin = await routing_kit.new_account()
        as_json = {"content-type": "application/json"}
        for email in ("nul\x00@example.com", "lone\ud800@example.com"):
            body = json.dumps({"name": "N", "email": email, "password": PASSWORD})  # escaped
            created = await routing_client.post(
                "/v1/agents", headers=admin.headers | as_json, content=body
            )
            assert created.status_code == 422, created.text
            assert error_code(created) == "invalid_text"
            logged = await routing_client.post(
                "/v1/auth/login",
                headers=as_json,
                content=json.dumps({"email": email, "password": PASSWORD}),
            )
            assert logged.status_code == 422, logged.text
            assert error_code(logged) == "invalid_text"

    async def test_agents_are_listed_per_account_in_pages(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        created = [await routing_kit.new_agent(admin.account_id) for _ in range(2)]
        other = await routing_kit.new_account()
        seen: list[str] = []
        cursor = None
        while True:
            params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = await routing_client.get("/v1/agents", headers=created[0].headers, params=params)
            assert page.status_code == 200
            seen += [item["id"] for item in page.json()["items"]]
            cursor = page.json()["next_cursor"]
            if cursor is None:
                break
        assert seen == [str(admin.id)] + [str(a.id) for a in created]
        assert str(other.id) not in seen

    async def test_an_agent_of_another_account_is_404(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        other = await routing_kit.new_account()
        mine = await routing_client.get(f"/v1/agents/{admin.id}", headers=admin.headers)
        assert mine.status_code == 200
        theirs = await routing_client.get(f"/v1/agents/{other.id}", headers=admin.headers)
        assert (theirs.status_code, error_code(theirs)) == (404, "agent_not_found")

    async def test_a_limit_out_of_range_or_a_bad_cursor_is_refused(
        self, routing_client, routing_kit
    ):
        admin = await routing_kit.new_account()
        too_big = await routing_client.get(
            "/v1/agents", headers=admin.headers, params={"limit": 101}
        )
        assert too_big.status_code == 422
        bad_cursor = await routing_client.get(
            "/v1/agents", headers=admin.headers, params={"cursor": "nonsense"}
        )
        assert (bad_cursor.status_code, error_code(bad_cursor)) == (400, "invalid_cursor")


class TestInboxMembers:
    async def test_an_admin_adds_a_member_of_a_known_inbox(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        agent = await routing_kit.new_agent(admin.account_id)
        inbox_id = uuid.uuid4()
        await routing_kit.handle(routing_kit.inbox_created(admin.account_id, inbox_id))
        path = f"/v1/inboxes/{inbox_id}/members"
        response = await routing_client.post(
            path, headers=admin.headers, json={"agent_id": str(agent.id)}
        )
        assert response.status_code == 201
        assert response.json() == {"inbox_id": str(inbox_id), "agent_id": str(agent.id)}
        again = await routing_client.post(
            path, headers=admin.headers, json={"agent_id": str(agent.id)}
        )
        assert (again.status_code, error_code(again)) == (409, "already_member")

        members = await routing_client.get(path, headers=agent.headers)
        assert [m["agent_id"] for m in members.json()["items"]] == [str(agent.id)]
        me = await routing_client.get("/v1/me", headers=agent.headers)
        assert me.json()["inbox_ids"] == [str(inbox_id)]

    async def test_only_admins_add_members(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        agent = await routing_kit.new_agent(admin.account_id)
        inbox_id = uuid.uuid4()
        await routing_kit.handle(routing_kit.inbox_created(admin.account_id, inbox_id))
        response = await routing_client.post(
            f"/v1/inboxes/{inbox_id}/members",
            headers=agent.headers,
            json={"agent_id": str(agent.id)},
        )
        assert response.status_code == 403

    async def test_an_agent_or_inbox_of_another_account_is_404(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        other = await routing_kit.new_account()
        my_inbox, their_inbox = uuid.uuid4(), uuid.uuid4()
        await routing_kit.handle(routing_kit.inbox_created(admin.account_id, my_inbox))
        await routing_kit.handle(routing_kit.inbox_created(other.account_id, their_inbox))

        foreign_agent = await routing_client.post(
            f"/v1/inboxes/{my_inbox}/members",
            headers=admin.headers,
            json={"agent_id": str(other.id)},
        )
        assert (foreign_agent.status_code, error_code(foreign_agent)) == (404, "agent_not_found")
        listing = await routing_client.get(
            f"/v1/inboxes/{their_inbox}/members", headers=admin.headers
        )
        assert listing.status_code == 404

    async def test_an_inbox_not_yet_projected_is_asked_of_chat(
        self, routing_app: FastAPI, routing_client, routing_kit
    ):
        admin = await routing_kit.new_account()
        agent = await routing_kit.new_agent(admin.account_id)
        known, unknown = uuid.uuid4(), uuid.uuid4()
        asked: list[tuple[str, str | None]] = []

        def chat(request: httpx.Request) -> httpx.Response:
            asked.append((request.url.path, request.headers.get("authorization")))
            if request.url.path == f"/v1/inboxes/{known}":
                return httpx.Response(200, json={"id": str(known), "name": "Website"})
            return httpx.Response(404, json={"error": {"code": "not_found"}})

        chat_client = routing_app.state.service.chat
        real_http = chat_client.http
        chat_client.http = httpx.AsyncClient(transport=httpx.MockTransport(chat))
        try:
            missing = await routing_client.post(
                f"/v1/inboxes/{unknown}/members",
                headers=admin.headers,
                json={"agent_id": str(agent.id)},
            )
            found = await routing_client.post(
                f"/v1/inboxes/{known}/members",
                headers=admin.headers,
                json={"agent_id": str(agent.id)},
            )
        finally:
            await chat_client.http.aclose()
            chat_client.http = real_http
        assert (missing.status_code, error_code(missing)) == (404, "inbox_not_found")
        assert found.status_code == 201
        assert asked == [
            (f"/v1/inboxes/{unknown}", f"Bearer {admin.token}"),
            (f"/v1/inboxes/{known}", f"Bearer {admin.token}"),
        ]
        members = await routing_client.get(f"/v1/inboxes/{known}/members", headers=admin.headers)
        assert [m["agent_id"] for m in members.json()["items"]] == [str(agent.id)]
