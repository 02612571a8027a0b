"""The people: an agent's own profile (PATCH /v1/me), an admin renaming and deactivating an
agent (whose conversations go back to the queue at once)."""

from __future__ import annotations

from switchboard.core.testing import bearer
from switchboard.routing.directory.service.memberships import remove_inbox_member
from switchboard.routing.directory.service.teams import remove_team_member

ALL_ON = {
    "mention": True,
    "assigned": True,
    "transfer": True,
    "invitation": True,
    "sla_near_breach": True,
    "sla_breached": True,
}


class TestMyProfile:
    async def test_a_new_agent_has_no_signature_and_every_notification(
        self, routing_client, floor_kit
    ):
        admin = await floor_kit.new_account()
        me = (await routing_client.get("/v1/me", headers=admin.headers)).json()
        assert (me["avatar_url"], me["signature"]) == (None, None)
        assert me["notifications"] == ALL_ON

    async def test_the_agent_changes_his_profile_and_chat_hears_it(self, routing_client, floor_kit):
        admin = await floor_kit.new_account()
        agent = await floor_kit.new_agent(admin.account_id, name="Bao")
        body = {
            "name": "  Bao Tran ",
            "avatar_url": "https://cdn.example.com/bao.png",
            "signature": "Bao, Acme support",
            "notifications": {"transfer": False, "sla_breached": False},
        }
        changed = await routing_client.patch("/v1/me", json=body, headers=agent.headers)
        assert changed.status_code == 200, changed.text
        me = (await routing_client.get("/v1/me", headers=agent.headers)).json()
        assert (me["name"], me["avatar_url"], me["signature"]) == (
            "Bao Tran",
            "https://cdn.example.com/bao.png",
            "Bao, Acme support",
        )
        assert me["notifications"] == {**ALL_ON, "transfer": False, "sla_breached": False}
        seen = await routing_client.get(f"/v1/agents/{agent.id}", headers=admin.headers)
        assert seen.json()["signature"] == "Bao, Acme support"
        colleague = await floor_kit.new_agent(admin.account_id, name="Chi")
        by_colleague = await routing_client.get(f"/v1/agents/{agent.id}", headers=colleague.headers)
        assert by_colleague.json()["name"] == "Bao Tran"
        assert (by_colleague.json()["signature"], by_colleague.json()["notifications"]) == (
            None,
            None,
        )  # his own and his admins', not his colleagues'
        listed = await routing_client.get("/v1/agents?limit=100", headers=colleague.headers)
        [bao] = [item for item in listed.json()["items"] if item["id"] == str(agent.id)]
        assert (bao["signature"], bao["notifications"]) == (None, None)

        [updated] = await floor_kit.events_of(admin.account_id, "agent.updated", agent_id=agent.id)
        assert updated.data["changed"] == ["avatar_url", "name", "notifications", "signature"]
        assert updated.data["signature"] == "Bao, Acme support"
        assert updated.data["notifications"]["transfer"] is False
        assert f"agent:{agent.id}" in updated.audience

    async def test_only_what_is_sent_changes_and_null_clears_the_signature(
        self, routing_client, floor_kit
    ):
        admin = await floor_kit.new_account()
        await routing_client.patch(
            "/v1/me",
            json={"signature": "Ada", "notifications": {"mention": False}},
            headers=admin.headers,
        )
        again = await routing_client.patch(
            "/v1/me", json={"notifications": {"invitation": False}}, headers=admin.headers
        )
        assert again.json()["signature"] == "Ada"
        assert again.json()["notifications"] == {**ALL_ON, "mention": False, "invitation": False}
        cleared = await routing_client.patch(
            "/v1/me", json={"signature": None}, headers=admin.headers
        )
        assert cleared.json()["signature"] is None

    async def test_the_same_profile_again_publishes_nothing(self, routing_client, floor_kit):
        admin = await floor_kit.new_account()
        for _ in range(2):
            await routing_client.patch("/v1/me", json={"signature": "Ada"}, headers=admin.headers)
        updates = await floor_kit.events_of(admin.account_id, "agent.updated")
        assert len(updates) == 1

    async def test_bad_values_are_refused_and_change_nothing(self, routing_client, floor_kit):
        admin = await floor_kit.new_account()
        for body in (
            {"name": None},
            {"name": "  "},
            {"avatar_url": "javascript:alert(1)"},
            {"signature": ""},
            {"signature": "x" * 1001},
            {"notifications": None},
            {"notifications": {"mention": None}},
            {"notifications": {"mention": "no"}},
            {"notifications": {"breakfast": False}},
            {"role": "admin"},
        ):
            refused = await routing_client.patch("/v1/me", json=body, headers=admin.headers)
            assert refused.status_code == 422, body
        me = (await routing_client.get("/v1/me", headers=admin.headers)).json()
        assert (me["name"], me["signature"], me["notifications"]) == ("Ada Admin", None, ALL_ON)


class TestAnAdminRenames:
    async def test_an_admin_renames_an_agent(self, routing_client, floor_kit):
        admin = await floor_kit.new_account()
        agent = await floor_kit.new_agent(admin.account_id, name="Bao")
        renamed = await routing_client.patch(
            f"/v1/agents/{agent.id}", json={"name": "Bao Tran"}, headers=admin.headers
        )
        assert (renamed.status_code, renamed.json()["name"]) == (200, "Bao Tran")
        [updated] = await floor_kit.events_of(admin.account_id, "agent.updated", agent_id=agent.id)
        assert (updated.data["name"], updated.data["changed"]) == ("Bao Tran", ["name"])

    async def test_an_agent_cannot_rename_another(self, routing_client, floor_kit):
        admin = await floor_kit.new_account()
        agent = await floor_kit.new_agent(admin.account_id)
        refused = await routing_client.patch(
            f"/v1/agents/{admin.id}", json={"name": "Mallory"}, headers=agent.headers
        )
        assert refused.status_code == 403
        null = await routing_client.patch(
            f"/v1/agents/{agent.id}", json={"name": None}, headers=admin.headers
        )
        assert null.status_code == 422


class TestDeactivationReleasesConversations:
    async def test_his_open_conversations_go_to_the_others_at_once(self, routing_client, floor_kit):
        admin, inbox_id = await floor_kit.account_with_inbox()
        leaving = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        first = await floor_kit.open_conversation(admin.account_id, inbox_id)
        second = await floor_kit.open_conversation(admin.account_id, inbox_id)
        assert await floor_kit.assignee(first) == leaving.id
        assert await floor_kit.assignee(second) == leaving.id
        staying = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)

        off = await routing_client.patch(
            f"/v1/agents/{leaving.id}", json={"active": False}, headers=admin.headers
        )
        assert off.status_code == 200
        assert off.json()["load"] == 0

        removed = await floor_kit.events_of(
            admin.account_id, "assignment.removed", agent_id=leaving.id
        )
        assert {(e.data["conversation_id"], e.data["reason"]) for e in removed} == {
            (str(first), "deactivated"),
            (str(second), "deactivated"),
        }
        # staying's capacity (5) takes both: nothing waits.
        assert await floor_kit.assignee(first) == staying.id
        assert await floor_kit.assignee(second) == staying.id
        assert await floor_kit.queued(admin.account_id) == []

    async def test_with_nobody_to_take_them_they_wait_in_the_queue(self, routing_client, floor_kit):
        admin, inbox_id = await floor_kit.account_with_inbox()
        leaving = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        open_one = await floor_kit.open_conversation(admin.account_id, inbox_id)
        resolved = await floor_kit.open_conversation(admin.account_id, inbox_id)
        await floor_kit.set_status(admin.account_id, inbox_id, resolved, "resolved")

        await routing_client.patch(
            f"/v1/agents/{leaving.id}", json={"active": False}, headers=admin.headers
        )

        assert await floor_kit.queued(admin.account_id) == [open_one]
        assert await floor_kit.assignee(open_one) is None
        # A resolved conversation keeps who handled it.
        assert await floor_kit.assignee(resolved) == leaving.id

    async def test_a_deactivated_agent_cannot_change_his_profile(self, routing_client, floor_kit):
        admin = await floor_kit.new_account()
        agent = await floor_kit.new_agent(admin.account_id)
        await routing_client.patch(
            f"/v1/agents/{agent.id}", json={"active": False}, headers=admin.headers
        )
        refused = await routing_client.patch(
            "/v1/me", json={"signature": "x"}, headers=bearer(agent.token)
        )
        assert refused.status_code == 401
        again = await floor_kit.events_of(admin.account_id, "agent.updated", agent_id=agent.id)
        assert [e.data["changed"] for e in again] == [["active"]]


class TestRemovingAMemberAppliesAtOnce:
    async def test_off_an_inbox_he_gets_none_of_its_next_conversations(self, floor_kit):
        admin, inbox_id = await floor_kit.account_with_inbox()
        removed = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        kept = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        await remove_inbox_member(
            floor_kit.runtime, account_id=admin.account_id, inbox_id=inbox_id, agent_id=removed.id
        )
        arrivals = [await floor_kit.open_conversation(admin.account_id, inbox_id) for _ in range(2)]
        assert [await floor_kit.assignee(c) for c in arrivals] == [kept.id, kept.id]

    async def test_off_a_team_he_gets_none_of_its_next_conversations(self, floor_kit):
        admin = await floor_kit.new_account()
        team_id = await floor_kit.team(admin.account_id)
        inbox_id = await floor_kit.inbox(admin.account_id, team_id=team_id)
        removed = await floor_kit.online_agent(admin.account_id, team_id=team_id)
        kept = await floor_kit.online_agent(admin.account_id, team_id=team_id)
        await remove_team_member(
            floor_kit.runtime, account_id=admin.account_id, team_id=team_id, agent_id=removed.id
        )
        arrivals = [await floor_kit.open_conversation(admin.account_id, inbox_id) for _ in range(2)]
        assert [await floor_kit.assignee(c) for c in arrivals] == [kept.id, kept.id]
