"""Transfers with acceptance, and participants: invitations, leaving, monitoring."""

import uuid
from datetime import timedelta
from typing import NamedTuple
from uuid import UUID

import httpx
import pytest_asyncio

from switchboard.core.auth import Role
from switchboard.core.events import utcnow
from switchboard.routing.assignment.service.expiry import expire_overdue

from .conftest import SeededAgent
from .helpers import error_code


class Assigned(NamedTuple):
    admin: SeededAgent
    inbox_id: UUID
    owner: SeededAgent
    conversation: UUID


@pytest_asyncio.fixture(loop_scope="session")
async def assigned(floor_kit) -> Assigned:
    """A fresh account's inbox with a conversation assigned to a fresh online agent (the only
    one who can take it), its ``owner``."""
    admin, inbox_id = await floor_kit.account_with_inbox()
    owner = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
    conversation = await floor_kit.open_conversation(admin.account_id, inbox_id)
    assert await floor_kit.assignee(conversation) == owner.id
    return Assigned(admin, inbox_id, owner, conversation)


async def ask_transfer(client, conversation, by, **target: str) -> httpx.Response:
    """``by`` asks to transfer the conversation (``target``: the body, such as ``to_agent_id``)."""
    return await client.post(
        f"/v1/conversations/{conversation}/transfers", json=target, headers=by.headers
    )


async def invite(client, conversation, agent, *, by) -> httpx.Response:
    """``by`` invites ``agent`` into the conversation."""
    return await client.post(
        f"/v1/conversations/{conversation}/invitations",
        json={"agent_id": str(agent.id)},
        headers=by.headers,
    )


async def accept_transfer(client, transfer_id, by) -> httpx.Response:
    return await client.post(f"/v1/transfers/{transfer_id}/accept", headers=by.headers)


class TestTransferToAnAgent:
    async def test_the_target_accepts_and_the_conversation_moves(
        self, routing_client, floor_kit, assigned
    ):
        admin, _, owner, conversation = assigned
        target = await floor_kit.online_agent(admin.account_id)

        asked = await ask_transfer(
            routing_client,
            conversation,
            owner,
            to_agent_id=str(target.id),
            reason="billing question",
        )
        assert asked.status_code == 201, asked.text
        transfer = asked.json()
        assert (transfer["status"], transfer["to_agent_id"]) == ("pending", str(target.id))
        (requested,) = await floor_kit.routing_events(admin.account_id, "transfer.requested")
        assert set(requested.audience) == {f"agent:{target.id}", f"agent:{owner.id}"}
        assert requested.data["transfer_id"] == transfer["id"]
        assert requested.data["from_agent_id"] == str(owner.id)

        not_target = await accept_transfer(routing_client, transfer["id"], owner)
        assert (not_target.status_code, error_code(not_target)) == (403, "not_transfer_target")
        accepted = await accept_transfer(routing_client, transfer["id"], target)
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["status"] == "accepted"

        assert await floor_kit.assignee(conversation) == target.id
        assert (await floor_kit.load(owner.id), await floor_kit.load(target.id)) == (0, 1)
        moved = (
            await floor_kit.events_of(
                admin.account_id, "assignment.created", conversation_id=conversation
            )
        )[-1]
        assert moved.data["reason"] == "transfer"
        assert moved.data["previous_agent_id"] == str(owner.id)
        (told,) = await floor_kit.routing_events(admin.account_id, "transfer.accepted")
        assert told.data["by_agent_id"] == str(target.id)
        assert set(told.audience) == {f"agent:{owner.id}", f"agent:{target.id}"}
        again = await accept_transfer(routing_client, transfer["id"], target)
        assert (again.status_code, error_code(again)) == (409, "transfer_not_pending")

        history = await routing_client.get(
            f"/v1/conversations/{conversation}/transfers", headers=target.headers
        )
        (entry,) = history.json()["items"]
        assert (entry["from_agent_id"], entry["by_agent_id"], entry["status"]) == (
            str(owner.id),
            str(target.id),
            "accepted",
        )
        assert entry["decided_at"] is not None

    async def test_a_rejection_keeps_it_with_the_requester_who_is_told_why(
        self, routing_client, floor_kit, assigned
    ):
        admin, _, owner, conversation = assigned
        target = await floor_kit.online_agent(admin.account_id)
        asked = await ask_transfer(routing_client, conversation, owner, to_agent_id=str(target.id))
        rejected = await routing_client.post(
            f"/v1/transfers/{asked.json()['id']}/reject",
            json={"reason": "I am leaving for lunch"},
            headers=target.headers,
        )
        assert rejected.status_code == 200
        assert await floor_kit.assignee(conversation) == owner.id
        (told,) = await floor_kit.routing_events(admin.account_id, "transfer.rejected")
        assert (told.data["reason"], told.data["by_agent_id"]) == (
            "I am leaving for lunch",
            str(target.id),
        )

    async def test_an_unanswered_transfer_expires_and_a_late_accept_is_refused(
        self, routing_client, floor_kit, assigned
    ):
        admin, _, owner, conversation = assigned
        target = await floor_kit.online_agent(admin.account_id)
        asked = await ask_transfer(routing_client, conversation, owner, to_agent_id=str(target.id))
        assert asked.json()["expires_at"] > utcnow().isoformat()

        await expire_overdue(floor_kit.runtime, now=utcnow() + timedelta(seconds=121))

        (expired,) = await floor_kit.routing_events(admin.account_id, "transfer.expired")
        assert expired.data["reason"] == "timeout"
        late = await accept_transfer(routing_client, asked.json()["id"], target)
        assert (late.status_code, error_code(late)) == (409, "transfer_expired")
        assert await floor_kit.assignee(conversation) == owner.id

    async def test_bad_transfers_get_specific_codes(self, routing_client, floor_kit, assigned):
        admin, inbox_id, owner, conversation = assigned
        offline = await floor_kit.new_agent(admin.account_id)
        foreign = await floor_kit.new_account()
        bystander = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        outsider = await floor_kit.online_agent(admin.account_id)
        url = f"/v1/conversations/{conversation}/transfers"

        async def ask(body, who=owner):
            return await routing_client.post(url, json=body, headers=who.headers)

        cases = [
            (await ask({"to_agent_id": str(offline.id)}), 409, "agent_offline"),
            (await ask({"to_agent_id": str(foreign.id)}), 404, "agent_not_found"),
            (await ask({"to_team_id": str(uuid.uuid4())}), 404, "team_not_found"),
            (await ask({"to_agent_id": str(owner.id)}), 409, "transfer_to_self"),
            (await ask({"to_agent_id": str(owner.id)}, bystander), 403, "not_assignee"),
            (await ask({"to_agent_id": str(owner.id)}, outsider), 404, "conversation_not_found"),
            (await ask({}), 422, "invalid_transfer_target"),
        ]
        for response, status, expected in cases:
            assert (response.status_code, error_code(response)) == (status, expected)
        assert (await ask({"to_agent_id": str(bystander.id)})).status_code == 201
        pending = await ask({"to_agent_id": str(bystander.id)})
        assert (pending.status_code, error_code(pending)) == (409, "transfer_pending")
        hidden = await routing_client.get(url, headers=foreign.headers)
        assert (hidden.status_code, error_code(hidden)) == (404, "conversation_not_found")

    async def test_all_open_conversations_are_transferred_at_once(
        self, routing_client, floor_kit, assigned
    ):
        admin, inbox_id, owner, first = assigned
        second = await floor_kit.open_conversation(admin.account_id, inbox_id)
        resolved = await floor_kit.open_conversation(admin.account_id, inbox_id)
        await floor_kit.set_status(admin.account_id, inbox_id, resolved, "resolved")
        target = await floor_kit.online_agent(admin.account_id)

        made = await routing_client.post(
            "/v1/transfers",
            json={"all_open": True, "to_agent_id": str(target.id)},
            headers=owner.headers,
        )
        assert made.status_code == 201, made.text
        assert {t["conversation_id"] for t in made.json()["items"]} == {str(first), str(second)}
        for transfer in made.json()["items"]:
            answer = await accept_transfer(routing_client, transfer["id"], target)
            assert answer.status_code == 200
        assert await floor_kit.load(owner.id) == 0
        assert await floor_kit.load(target.id) == 2


class TestTransferToATeam:
    async def test_the_teams_strategy_picks_who_is_asked_and_it_may_accept(
        self, routing_client, floor_kit, assigned
    ):
        admin, _, owner, conversation = assigned
        team = await floor_kit.team(admin.account_id, strategy="broadcast")
        members = [await floor_kit.online_agent(admin.account_id, team_id=team) for _ in range(2)]

        asked = await ask_transfer(routing_client, conversation, owner, to_team_id=str(team))
        assert asked.status_code == 201
        assert set(asked.json()["target_ids"]) == {str(m.id) for m in members}
        accepted = await accept_transfer(routing_client, asked.json()["id"], members[1])
        assert accepted.status_code == 200
        assert await floor_kit.assignee(conversation) == members[1].id

    async def test_nobody_available_sends_it_to_the_teams_queue(
        self, routing_client, floor_kit, assigned
    ):
        admin, _, owner, conversation = assigned
        team = await floor_kit.team(admin.account_id)
        member = await floor_kit.new_agent(admin.account_id)
        from switchboard.routing.directory.service.teams import add_team_member

        await add_team_member(
            floor_kit.runtime, account_id=admin.account_id, team_id=team, agent_id=member.id
        )
        asked = await ask_transfer(routing_client, conversation, owner, to_team_id=str(team))
        assert asked.json()["status"] == "queued"
        assert await floor_kit.assignee(conversation) is None
        (removed,) = await floor_kit.routing_events(admin.account_id, "assignment.removed")
        assert removed.data["reason"] == "transfer"

        await floor_kit.go_online(member)
        await floor_kit.handle(floor_kit.presence_event(member, online=True))
        assert await floor_kit.assignee(conversation) == member.id

    async def test_a_team_that_names_its_targets_allows_only_those(self, routing_client, floor_kit):
        admin = await floor_kit.new_account()
        allowed = await floor_kit.team(admin.account_id)
        other = await floor_kit.team(admin.account_id)
        home = await floor_kit.team(admin.account_id, transfer_team_ids=(allowed,))
        inbox_id = await floor_kit.inbox(admin.account_id, team_id=home)
        owner = await floor_kit.online_agent(admin.account_id, team_id=home)
        conversation = await floor_kit.open_conversation(admin.account_id, inbox_id)
        assert await floor_kit.assignee(conversation) == owner.id
        refused = await ask_transfer(routing_client, conversation, owner, to_team_id=str(other))
        assert (refused.status_code, error_code(refused)) == (409, "transfer_not_allowed")


class TestParticipants:
    async def test_the_assignee_invites_a_helper_who_accepts_and_can_leave(
        self, routing_client, floor_kit, assigned
    ):
        admin, _, owner, conversation = assigned
        helper = await floor_kit.new_agent(admin.account_id)

        invited = await invite(routing_client, conversation, helper, by=owner)
        assert invited.status_code == 201, invited.text
        twice = await invite(routing_client, conversation, helper, by=owner)
        assert (twice.status_code, error_code(twice)) == (409, "already_invited")
        (created,) = await floor_kit.routing_events(admin.account_id, "invitation.created")
        assert set(created.audience) == {f"agent:{helper.id}", f"agent:{owner.id}"}
        not_mine = await routing_client.post(
            f"/v1/invitations/{invited.json()['id']}/accept", headers=owner.headers
        )
        assert (not_mine.status_code, error_code(not_mine)) == (403, "not_invitee")
        accepted = await routing_client.post(
            f"/v1/invitations/{invited.json()['id']}/accept", headers=helper.headers
        )
        assert accepted.json()["status"] == "accepted"
        (added,) = await floor_kit.routing_events(admin.account_id, "participant.added")
        assert added.data == {
            "conversation_id": str(conversation),
            "agent_id": str(helper.id),
            "kind": "participant",
        }
        assert set(added.audience) == {f"agent:{helper.id}", f"agent:{owner.id}", "role:supervisor"}
        present = await invite(routing_client, conversation, helper, by=owner)
        assert (present.status_code, error_code(present)) == (409, "already_participant")
        listed = await routing_client.get(
            f"/v1/conversations/{conversation}/participants", headers=helper.headers
        )
        assert listed.json()["assignee_id"] == str(owner.id)
        assert [p["agent_id"] for p in listed.json()["items"]] == [str(helper.id)]

        stuck = await routing_client.post(
            f"/v1/conversations/{conversation}/leave", headers=owner.headers
        )
        assert (stuck.status_code, error_code(stuck)) == (409, "assignee_cannot_leave")
        left = await routing_client.post(
            f"/v1/conversations/{conversation}/leave", headers=helper.headers
        )
        assert left.status_code == 204
        (removed,) = await floor_kit.routing_events(admin.account_id, "participant.removed")
        assert removed.data["kind"] == "participant"

    async def test_a_declined_invitation_and_invitations_by_outsiders(
        self, routing_client, floor_kit, assigned
    ):
        admin, inbox_id, owner, conversation = assigned
        helper = await floor_kit.new_agent(admin.account_id)
        bystander = await floor_kit.new_agent(admin.account_id)
        await floor_kit.add_member(bystander, inbox_id)
        outsider = await floor_kit.new_agent(admin.account_id)

        refused = await invite(routing_client, conversation, helper, by=bystander)
        assert (refused.status_code, error_code(refused)) == (403, "not_a_participant")
        hidden = await invite(routing_client, conversation, helper, by=outsider)
        assert (hidden.status_code, error_code(hidden)) == (404, "conversation_not_found")
        invited = await invite(routing_client, conversation, helper, by=owner)
        declined = await routing_client.post(
            f"/v1/invitations/{invited.json()['id']}/decline", headers=helper.headers
        )
        assert declined.json()["status"] == "declined"
        (told,) = await floor_kit.routing_events(admin.account_id, "invitation.declined")
        assert told.data["agent_id"] == str(helper.id)
        assert await floor_kit.routing_events(admin.account_id, "participant.added") == []

    async def test_supervisors_monitor_silently_and_leave_again(
        self, routing_client, floor_kit, assigned
    ):
        admin, _, owner, conversation = assigned
        supervisor = await floor_kit.new_agent(admin.account_id, role=Role.supervisor)
        url = f"/v1/conversations/{conversation}/monitor"

        by_agent = await routing_client.post(url, headers=owner.headers)
        assert by_agent.status_code == 403
        joined = await routing_client.post(url, headers=supervisor.headers)
        assert joined.status_code == 201
        twice = await routing_client.post(url, headers=supervisor.headers)
        assert (twice.status_code, error_code(twice)) == (409, "already_participant")
        (added,) = await floor_kit.routing_events(admin.account_id, "participant.added")
        assert added.data["kind"] == "monitor"
        assert not any(a.startswith("visitor:") for a in added.audience)
        left = await routing_client.delete(url, headers=supervisor.headers)
        assert left.status_code == 204
        (removed,) = await floor_kit.routing_events(admin.account_id, "participant.removed")
        assert removed.data["kind"] == "monitor"
        gone = await routing_client.delete(url, headers=supervisor.headers)
        assert (gone.status_code, error_code(gone)) == (409, "not_monitoring")
        foreign = await floor_kit.new_account()
        hidden = await routing_client.post(url, headers=foreign.headers)
        assert (hidden.status_code, error_code(hidden)) == (404, "conversation_not_found")


class TestAvailableForTransfer:
    async def test_online_agents_sorted_by_load_with_load_and_capacity(
        self, routing_client, floor_kit
    ):
        admin, inbox_id = await floor_kit.account_with_inbox()
        busy = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        for _ in range(2):
            await floor_kit.open_conversation(admin.account_id, inbox_id)
        idle = await floor_kit.online_agent(admin.account_id)
        away = await floor_kit.online_agent(admin.account_id)
        await floor_kit.handle(floor_kit.presence_event(away, online=False))
        await floor_kit.new_agent(admin.account_id)  # offline

        listed = await routing_client.get(
            "/v1/agents?available_for_transfer=true", headers=admin.headers
        )
        items = listed.json()["items"]
        assert [(i["id"], i["load"], i["capacity"]) for i in items] == [
            (str(idle.id), 0, 5),
            (str(busy.id), 2, 5),
        ]
        first = await routing_client.get(
            "/v1/agents?available_for_transfer=true&limit=1", headers=admin.headers
        )
        rest = await routing_client.get(
            f"/v1/agents?available_for_transfer=true&cursor={first.json()['next_cursor']}",
            headers=admin.headers,
        )
        assert [i["id"] for i in rest.json()["items"]] == [str(busy.id)]
