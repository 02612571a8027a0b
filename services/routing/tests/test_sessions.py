"""Sessions end at once: a new role, a deactivation, a new password or a logout stops the
tokens issued before on the next request (other services check the same Redis state), and
routing announces it with ``session.revoked`` for the sockets."""

from __future__ import annotations

import httpx

from switchboard.core.auth import Role
from switchboard.core.events import Envelope
from switchboard.core.testing import bearer

from .helpers import PASSWORD, error_code, login


async def pair_of(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> dict:
    response = await login(client, email, password)
    assert response.status_code == 200, response.text
    return response.json()


async def logged_in_agent(client: httpx.AsyncClient, kit, role: Role = Role.agent) -> tuple:
    """A fresh account's admin, and an agent of the account with the token pair of its login."""
    admin = await kit.new_account()
    agent = await kit.new_agent(admin.account_id, role=role)
    return admin, agent, await pair_of(client, agent.email)


async def me(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.get("/v1/me", headers=bearer(token))


async def refreshed(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await client.post("/v1/auth/refresh", json={"refresh_token": refresh_token})


async def session_events(routing_kit, agent_id) -> list[Envelope]:
    bus = routing_kit.runtime.bus
    entries = await bus.redis.xrange(bus.stream("routing"))
    envelopes = [Envelope.decode(fields[b"e"]) for _, fields in entries]
    return [e for e in envelopes if e.type == "session.revoked" and e.key == str(agent_id)]


class TestRoleChange:
    async def test_a_demoted_supervisor_loses_his_powers_at_once(self, routing_client, routing_kit):
        admin, supervisor, tokens = await logged_in_agent(
            routing_client, routing_kit, Role.supervisor
        )
        queue = await routing_client.patch(
            f"/v1/queue/{admin.id}",
            json={"priority": "low"},
            headers=bearer(tokens["access_token"]),
        )
        assert queue.status_code == 404  # allowed (nothing queued), not 403

        demoted = await routing_client.patch(
            f"/v1/agents/{supervisor.id}", json={"role": "agent"}, headers=admin.headers
        )
        assert demoted.status_code == 200, demoted.text

        stale = await me(routing_client, tokens["access_token"])
        assert (stale.status_code, error_code(stale)) == (401, "session_changed")
        fresh = await refreshed(routing_client, tokens["refresh_token"])
        assert fresh.status_code == 200  # a role change keeps the login: a refresh brings it
        now = fresh.json()["access_token"]
        assert (await me(routing_client, now)).json()["role"] == "agent"
        refused = await routing_client.patch(
            f"/v1/queue/{admin.id}", json={"priority": "low"}, headers=bearer(now)
        )
        assert refused.status_code == 403
        [event] = await session_events(routing_kit, supervisor.id)
        assert event.data["reason"] == "role_changed"
        assert event.audience == [f"agent:{supervisor.id}"]

    async def test_the_same_role_again_changes_nothing(self, routing_client, routing_kit):
        admin, agent, tokens = await logged_in_agent(routing_client, routing_kit)
        same = await routing_client.patch(
            f"/v1/agents/{agent.id}", json={"role": "agent"}, headers=admin.headers
        )
        assert same.status_code == 200
        assert (await me(routing_client, tokens["access_token"])).status_code == 200


class TestDeactivation:
    async def test_a_deactivated_agent_is_out_everywhere(self, routing_client, routing_kit):
        admin, agent, tokens = await logged_in_agent(routing_client, routing_kit)
        off = await routing_client.patch(
            f"/v1/agents/{agent.id}", json={"active": False}, headers=admin.headers
        )
        assert off.status_code == 200
        assert off.json()["active"] is False
        assert off.json()["status"] == "offline"
        assert (await me(routing_client, tokens["access_token"])).status_code == 401
        assert (await refreshed(routing_client, tokens["refresh_token"])).status_code == 401
        again = await login(routing_client, agent.email)
        assert (again.status_code, error_code(again)) == (403, "agent_deactivated")

        on = await routing_client.patch(
            f"/v1/agents/{agent.id}", json={"active": True}, headers=admin.headers
        )
        assert on.status_code == 200
        assert (await login(routing_client, agent.email)).status_code == 200

    async def test_the_last_active_admin_stays(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        for change in ({"active": False}, {"role": "supervisor"}):
            refused = await routing_client.patch(
                f"/v1/agents/{admin.id}", json=change, headers=admin.headers
            )
            assert (refused.status_code, error_code(refused)) == (409, "last_admin")
        second = await routing_kit.new_agent(admin.account_id, role=Role.admin)
        demoted = await routing_client.patch(
            f"/v1/agents/{admin.id}", json={"role": "supervisor"}, headers=second.headers
        )
        assert demoted.status_code == 200

    async def test_null_is_not_an_activation(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        agent = await routing_kit.new_agent(admin.account_id)
        response = await routing_client.patch(
            f"/v1/agents/{agent.id}", json={"active": None}, headers=admin.headers
        )
        assert response.status_code == 422


class TestPassword:
    async def test_a_new_password_ends_every_other_session(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        laptop = await pair_of(routing_client, admin.email)
        phone = await pair_of(routing_client, admin.email)
        changed = await routing_client.put(
            "/v1/auth/password",
            json={"current_password": PASSWORD, "new_password": "a brand new secret"},
            headers=bearer(laptop["access_token"]),
        )
        assert changed.status_code == 200, changed.text
        for old in (laptop, phone):
            assert (await me(routing_client, old["access_token"])).status_code == 401
            assert (await refreshed(routing_client, old["refresh_token"])).status_code == 401
        assert (await me(routing_client, changed.json()["access_token"])).status_code == 200
        assert (await login(routing_client, admin.email)).status_code == 401
        assert (await login(routing_client, admin.email, "a brand new secret")).status_code == 200

    async def test_the_current_password_is_checked(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        tokens = await pair_of(routing_client, admin.email)
        wrong = await routing_client.put(
            "/v1/auth/password",
            json={"current_password": "guess", "new_password": "a brand new secret"},
            headers=bearer(tokens["access_token"]),
        )
        assert (wrong.status_code, error_code(wrong)) == (403, "wrong_password")
        assert (await me(routing_client, tokens["access_token"])).status_code == 200


class TestLogout:
    async def test_logout_ends_this_login_only(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        laptop = await pair_of(routing_client, admin.email)
        phone = await pair_of(routing_client, admin.email)
        out = await routing_client.post("/v1/auth/logout", headers=bearer(laptop["access_token"]))
        assert out.status_code == 204
        gone = await me(routing_client, laptop["access_token"])
        assert (gone.status_code, error_code(gone)) == (401, "session_revoked")
        assert (await refreshed(routing_client, laptop["refresh_token"])).status_code == 401
        assert (await me(routing_client, phone["access_token"])).status_code == 200
        [event] = await session_events(routing_kit, admin.id)
        assert event.data["reason"] == "logged_out"
        assert event.data["family_id"] is not None

    async def test_logout_everywhere_ends_every_login(self, routing_client, routing_kit):
        admin = await routing_kit.new_account()
        laptop = await pair_of(routing_client, admin.email)
        phone = await pair_of(routing_client, admin.email)
        out = await routing_client.post(
            "/v1/auth/logout", json={"everywhere": True}, headers=bearer(laptop["access_token"])
        )
        assert out.status_code == 204
        for old in (laptop, phone):
            assert (await me(routing_client, old["access_token"])).status_code == 401
            assert (await refreshed(routing_client, old["refresh_token"])).status_code == 401


class TestRepublish:
    async def test_redis_that_lost_the_state_gets_it_back(self, routing_client, routing_kit):
        """A revocation written only to PostgreSQL (Redis flushed since) is written again."""
        from switchboard.routing.directory.service.sessions import republish_recent

        admin, agent, tokens = await logged_in_agent(routing_client, routing_kit)
        await routing_client.patch(
            f"/v1/agents/{agent.id}", json={"role": "supervisor"}, headers=admin.headers
        )
        sessions = routing_kit.runtime.sessions
        await sessions.redis.delete(sessions.version_key("agent", agent.id))
        assert (await me(routing_client, tokens["access_token"])).status_code == 200  # the gap
        await republish_recent(routing_kit.runtime)
        assert (await me(routing_client, tokens["access_token"])).status_code == 401
