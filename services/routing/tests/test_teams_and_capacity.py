"""Teams, inbox routing, capacity, least busy, the queue and its positions."""

import uuid
from datetime import timedelta

from switchboard.core.auth import Role
from switchboard.core.events import utcnow

from .helpers import error_code


class TestTeamsApi:
    async def test_an_admin_creates_a_team_with_members_fallback_and_targets(
        self, routing_client, floor_kit
    ):
        admin = await floor_kit.new_account()
        fallback = await floor_kit.team(admin.account_id)
        agent = await floor_kit.new_agent(admin.account_id)
        created = await routing_client.post(
            "/v1/teams",
            json={
                "name": "Billing",
                "strategy": "least_busy",
                "fallback_team_id": str(fallback),
                "transfer_team_ids": [str(fallback)],
            },
            headers=admin.headers,
        )
        assert created.status_code == 201, created.text
        team = created.json()
        assert team["fallback_team_id"] == str(fallback)
        assert team["transfer_team_ids"] == [str(fallback)]
        added = await routing_client.post(
            f"/v1/teams/{team['id']}/members",
            json={"agent_id": str(agent.id)},
            headers=admin.headers,
        )
        assert added.status_code == 201
        again = await routing_client.post(
            f"/v1/teams/{team['id']}/members",
            json={"agent_id": str(agent.id)},
            headers=admin.headers,
        )
        assert (again.status_code, error_code(again)) == (409, "already_member")
        members = await routing_client.get(f"/v1/teams/{team['id']}/members", headers=agent.headers)
        assert [m["agent_id"] for m in members.json()["items"]] == [str(agent.id)]
        me = await routing_client.get("/v1/me", headers=agent.headers)
        assert me.json()["team_ids"] == [team["id"]]
        announced = await floor_kit.events_of(admin.account_id, "team.created", team_id=team["id"])
        assert announced[0].audience == ["role:supervisor"]
        assert announced[0].data == {
            "team_id": team["id"],
            "name": "Billing",
            "fallback_team_id": str(fallback),
        }

    async def test_joining_and_leaving_a_team_is_announced_to_the_agent(
        self, routing_client, floor_kit
    ):
        admin = await floor_kit.new_account()
        team = await floor_kit.team(admin.account_id)
        agent = await floor_kit.new_agent(admin.account_id)
        members = f"/v1/teams/{team}/members"
        added = await routing_client.post(
            members, json={"agent_id": str(agent.id)}, headers=admin.headers
        )
        assert added.status_code == 201, added.text
        removed = await routing_client.delete(f"{members}/{agent.id}", headers=admin.headers)
        assert removed.status_code == 204, removed.text
        missing = await routing_client.delete(f"{members}/{agent.id}", headers=admin.headers)
        assert (missing.status_code, error_code(missing)) == (404, "member_not_found")
        membership = {"team_id": str(team), "agent_id": str(agent.id)}
        for kind in ("team.member_added", "team.member_removed"):
            [event] = await floor_kit.events_of(admin.account_id, kind, **membership)
            assert event.audience == [f"agent:{agent.id}", "role:admin"]
            assert event.key == str(team)

    async def test_bad_team_requests_get_specific_codes(self, routing_client, floor_kit):
        admin = await floor_kit.new_account()
        other = await floor_kit.new_account()
        foreign_team = await floor_kit.team(other.account_id)
        agent = await floor_kit.new_agent(admin.account_id)

        bad = await routing_client.post(
            "/v1/teams", json={"name": "X", "strategy": "random"}, headers=admin.headers
        )
        assert (bad.status_code, error_code(bad)) == (422, "invalid_strategy")
        foreign = await routing_client.post(
            "/v1/teams",
            json={"name": "Y", "fallback_team_id": str(foreign_team)},
            headers=admin.headers,
        )
        assert (foreign.status_code, error_code(foreign)) == (404, "team_not_found")
        by_agent = await routing_client.post("/v1/teams", json={"name": "Z"}, headers=agent.headers)
        assert by_agent.status_code == 403
        first = await routing_client.post("/v1/teams", json={"name": "Dup"}, headers=admin.headers)
        dup = await routing_client.post("/v1/teams", json={"name": "Dup"}, headers=admin.headers)
        assert first.status_code == 201
        assert (dup.status_code, error_code(dup)) == (409, "team_name_taken")
        selfish = await routing_client.patch(
            f"/v1/teams/{first.json()['id']}",
            json={"fallback_team_id": first.json()["id"]},
            headers=admin.headers,
        )
        assert (selfish.status_code, error_code(selfish)) == (422, "invalid_team_reference")
        hidden = await routing_client.get(f"/v1/teams/{foreign_team}", headers=admin.headers)
        assert (hidden.status_code, error_code(hidden)) == (404, "team_not_found")

    async def test_inbox_routing_is_set_by_admins_and_checked(self, routing_client, floor_kit):
        admin, inbox_id = await floor_kit.account_with_inbox()
        team = await floor_kit.team(admin.account_id)
        agent = await floor_kit.new_agent(admin.account_id)
        body = {"strategy": "broadcast", "team_id": str(team), "response_timeout_seconds": 120}
        put = await routing_client.put(
            f"/v1/inboxes/{inbox_id}/routing", json=body, headers=admin.headers
        )
        assert put.status_code == 200, put.text
        path = f"/v1/inboxes/{inbox_id}/routing"
        outsider = await routing_client.get(path, headers=agent.headers)
        assert outsider.status_code == 404  # an agent sees his own inboxes only
        await floor_kit.add_member(agent, inbox_id)
        got = await routing_client.get(path, headers=agent.headers)
        assert got.json() == {"inbox_id": str(inbox_id), **body}
        refused = await routing_client.put(
            f"/v1/inboxes/{inbox_id}/routing", json=body, headers=agent.headers
        )
        assert refused.status_code == 403
        bad = await routing_client.put(
            f"/v1/inboxes/{inbox_id}/routing", json={"strategy": "lottery"}, headers=admin.headers
        )
        assert (bad.status_code, error_code(bad)) == (422, "invalid_strategy")


class TestCapacity:
    async def test_an_agent_at_capacity_gets_nothing_more_and_a_freed_slot_pulls_the_oldest(
        self, floor_kit
    ):
        admin = await floor_kit.new_account()
        await floor_kit.set_capacity(admin.account_id, 2)
        inbox_id = await floor_kit.inbox(admin.account_id)
        agent = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        start = utcnow() - timedelta(minutes=10)
        ids = [
            await floor_kit.open_conversation(
                admin.account_id, inbox_id, at=start + timedelta(seconds=n)
            )
            for n in range(4)
        ]
        assert [await floor_kit.assignee(c) for c in ids] == [agent.id, agent.id, None, None]
        assert await floor_kit.load(agent.id) == 2

        await floor_kit.set_status(admin.account_id, inbox_id, ids[0], "resolved")
        assert await floor_kit.assignee(ids[2]) == agent.id
        assert await floor_kit.assignee(ids[3]) is None

        await floor_kit.set_status(admin.account_id, inbox_id, ids[1], "snoozed")
        assert await floor_kit.assignee(ids[3]) == agent.id
        assert await floor_kit.load(agent.id) == 2

        # Woken by a visitor message: it comes back to its assignee and counts again.
        await floor_kit.set_status(admin.account_id, inbox_id, ids[1], "open")
        assert await floor_kit.assignee(ids[1]) == agent.id
        assert await floor_kit.load(agent.id) == 3

    async def test_the_agents_own_capacity_overrides_the_account_default(
        self, routing_client, floor_kit
    ):
        admin = await floor_kit.new_account()
        await floor_kit.set_capacity(admin.account_id, 1)
        inbox_id = await floor_kit.inbox(admin.account_id)
        agent = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        first = await floor_kit.open_conversation(admin.account_id, inbox_id)
        second = await floor_kit.open_conversation(admin.account_id, inbox_id)
        assert await floor_kit.assignee(second) is None

        raised = await routing_client.patch(
            f"/v1/agents/{agent.id}", json={"capacity": 3}, headers=admin.headers
        )
        assert raised.status_code == 200, raised.text
        assert raised.json()["capacity"] == 3
        assert raised.json()["capacity_override"] == 3
        assert await floor_kit.assignee(second) == agent.id  # the freed room drains at once
        assert raised.json()["load"] == 2

        reset = await routing_client.patch(
            f"/v1/agents/{agent.id}", json={"capacity": None}, headers=admin.headers
        )
        assert (reset.json()["capacity"], reset.json()["capacity_override"]) == (1, None)
        assert await floor_kit.assignee(first) == agent.id
        by_agent = await routing_client.patch(
            f"/v1/agents/{agent.id}", json={"capacity": 9}, headers=agent.headers
        )
        assert by_agent.status_code == 403

    async def test_admins_change_the_account_default(self, routing_client, floor_kit):
        admin = await floor_kit.new_account()
        got = await routing_client.get("/v1/accounts/current", headers=admin.headers)
        assert got.json()["default_capacity"] == 5
        assert got.json()["offer_timeout_seconds"] == 60
        assert got.json()["transfer_timeout_seconds"] == 120
        patched = await routing_client.patch(
            "/v1/accounts/current", json={"default_capacity": 8}, headers=admin.headers
        )
        assert patched.json()["default_capacity"] == 8
        agent = await floor_kit.new_agent(admin.account_id)
        refused = await routing_client.patch(
            "/v1/accounts/current", json={"default_capacity": 1}, headers=agent.headers
        )
        assert refused.status_code == 403


class TestStrategies:
    async def test_least_busy_gives_the_conversation_to_the_fewest_open(self, floor_kit):
        admin, inbox_id = await floor_kit.account_with_inbox(strategy="least_busy")
        busy = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        for _ in range(2):
            await floor_kit.open_conversation(admin.account_id, inbox_id)
        assert await floor_kit.load(busy.id) == 2
        idle = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)

        made = [await floor_kit.open_conversation(admin.account_id, inbox_id) for _ in range(3)]

        assignees = [await floor_kit.assignee(c) for c in made]
        assert assignees[:2] == [idle.id, idle.id]
        assert {await floor_kit.load(busy.id), await floor_kit.load(idle.id)} == {3, 2}

    async def test_a_team_inbox_routes_to_team_members_and_falls_back(self, floor_kit):
        admin = await floor_kit.new_account()
        backup = await floor_kit.team(admin.account_id)
        team = await floor_kit.team(admin.account_id, fallback_team_id=backup)
        inbox_id = await floor_kit.inbox(admin.account_id, team_id=team)
        outsider = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        member = await floor_kit.online_agent(admin.account_id, team_id=team)
        helper = await floor_kit.online_agent(admin.account_id, team_id=backup)

        first = await floor_kit.open_conversation(admin.account_id, inbox_id)
        assert await floor_kit.assignee(first) == member.id

        await floor_kit.handle(floor_kit.presence_event(member, online=False))
        second = await floor_kit.open_conversation(admin.account_id, inbox_id)
        assert await floor_kit.assignee(second) == helper.id
        assert outsider.id not in {await floor_kit.assignee(c) for c in (first, second)}


class TestQueue:
    async def test_visitors_learn_their_position_and_wait_as_the_queue_moves(self, floor_kit):
        admin, inbox_id = await floor_kit.account_with_inbox()
        start = utcnow() - timedelta(minutes=5)
        ids = [
            await floor_kit.open_conversation(
                admin.account_id, inbox_id, at=start + timedelta(seconds=n)
            )
            for n in range(3)
        ]
        told = await floor_kit.routing_events(admin.account_id, "queue.position_changed")
        assert [(e.data["conversation_id"], e.data["position"]) for e in told] == [
            (str(c), n + 1) for n, c in enumerate(ids)
        ]
        assert told[1].data["estimated_wait_seconds"] == 120  # 2 x the default per position
        assert told[0].audience[1:] == [f"inbox:{inbox_id}", "role:supervisor"]
        assert told[0].audience[0].startswith("visitor:")

        await floor_kit.set_capacity(admin.account_id, 1)
        await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)

        moved = (await floor_kit.routing_events(admin.account_id, "queue.position_changed"))[3:]
        assert {(e.data["conversation_id"], e.data["position"]) for e in moved} == {
            (str(ids[0]), 0),
            (str(ids[1]), 1),
            (str(ids[2]), 2),
        }
        assert len(moved) == 3
        gone = next(e for e in moved if e.data["position"] == 0)
        assert gone.data["estimated_wait_seconds"] == 0

    async def test_the_queue_lists_what_the_caller_may_take_with_priority_first(
        self, routing_client, floor_kit
    ):
        admin = await floor_kit.new_account()
        mine = await floor_kit.inbox(admin.account_id)
        theirs = await floor_kit.inbox(admin.account_id)
        agent = await floor_kit.new_agent(admin.account_id)
        await floor_kit.add_member(agent, mine)
        supervisor = await floor_kit.new_agent(admin.account_id, role=Role.supervisor)
        start = utcnow() - timedelta(minutes=5)
        old = await floor_kit.open_conversation(admin.account_id, mine, at=start)
        new = await floor_kit.open_conversation(
            admin.account_id, mine, at=start + timedelta(seconds=5)
        )
        other = await floor_kit.open_conversation(admin.account_id, theirs, at=start)

        listed = await routing_client.get("/v1/queue", headers=agent.headers)
        assert [i["conversation_id"] for i in listed.json()["items"]] == [str(old), str(new)]
        assert [i["position"] for i in listed.json()["items"]] == [1, 2]

        by_agent = await routing_client.patch(
            f"/v1/queue/{new}", json={"priority": "urgent"}, headers=agent.headers
        )
        assert by_agent.status_code == 403
        bumped = await routing_client.patch(
            f"/v1/queue/{new}", json={"priority": "urgent"}, headers=supervisor.headers
        )
        assert bumped.status_code == 200
        assert bumped.json()["position"] == 1
        listed = await routing_client.get("/v1/queue?limit=1", headers=agent.headers)
        assert [i["conversation_id"] for i in listed.json()["items"]] == [str(new)]
        rest = await routing_client.get(
            f"/v1/queue?cursor={listed.json()['next_cursor']}", headers=agent.headers
        )
        assert [i["conversation_id"] for i in rest.json()["items"]] == [str(old)]
        everything = await routing_client.get("/v1/queue", headers=supervisor.headers)
        assert {i["conversation_id"] for i in everything.json()["items"]} == {
            str(old),
            str(new),
            str(other),
        }
        missing = await routing_client.patch(
            f"/v1/queue/{uuid.uuid4()}", json={"priority": "low"}, headers=supervisor.headers
        )
        assert (missing.status_code, error_code(missing)) == (404, "not_queued")
