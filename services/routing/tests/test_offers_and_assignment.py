"""Broadcast offers, manual assignment and the response timer."""

import uuid
from datetime import timedelta

from switchboard.core.auth import Role
from switchboard.core.events import utcnow
from switchboard.routing.assignment.service.expiry import expire_overdue
from switchboard.routing.assignment.service.offers import expire_offer

from .helpers import error_code


class TestBroadcastOffers:
    async def test_everyone_is_offered_the_first_accept_wins_the_rest_are_told(
        self, routing_client, floor_kit
    ):
        admin, inbox_id = await floor_kit.account_with_inbox(strategy="broadcast")
        agents = [
            await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id) for _ in range(3)
        ]
        away = await floor_kit.new_agent(admin.account_id)
        await floor_kit.add_member(away, inbox_id)
        conversation = await floor_kit.open_conversation(admin.account_id, inbox_id)

        (offer,) = await floor_kit.routing_events(admin.account_id, "offer.created")
        assert set(offer.data["agent_ids"]) == {str(a.id) for a in agents}
        assert set(offer.audience) == {f"agent:{a.id}" for a in agents}
        assert offer.data["conversation_id"] == str(conversation)
        assert await floor_kit.assignee(conversation) is None

        winner, loser = agents[1], agents[2]
        won = await routing_client.post(
            f"/v1/offers/{offer.data['offer_id']}/accept", headers=winner.headers
        )
        assert won.status_code == 200, won.text
        assert won.json()["winner_id"] == str(winner.id)
        late = await routing_client.post(
            f"/v1/offers/{offer.data['offer_id']}/accept", headers=loser.headers
        )
        assert (late.status_code, error_code(late)) == (409, "offer_taken")
        stranger = await routing_client.post(
            f"/v1/offers/{offer.data['offer_id']}/accept", headers=away.headers
        )
        assert (stranger.status_code, error_code(stranger)) == (403, "not_offered")

        assert await floor_kit.assignee(conversation) == winner.id
        (assigned,) = await floor_kit.events_of(
            admin.account_id, "assignment.created", conversation_id=conversation
        )
        assert assigned.data["reason"] == "offer"
        (withdrawn,) = await floor_kit.routing_events(admin.account_id, "offer.withdrawn")
        assert withdrawn.data == {
            "offer_id": offer.data["offer_id"],
            "conversation_id": str(conversation),
            "reason": "taken",
            "winner_id": str(winner.id),
        }
        assert set(withdrawn.audience) == {f"agent:{agents[0].id}", f"agent:{loser.id}"}

    async def test_an_unanswered_offer_expires_and_is_offered_again(
        self, routing_client, floor_kit
    ):
        admin, inbox_id = await floor_kit.account_with_inbox(strategy="broadcast")
        agent = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        conversation = await floor_kit.open_conversation(admin.account_id, inbox_id)
        (first,) = await floor_kit.routing_events(admin.account_id, "offer.created")
        offer_id = uuid.UUID(first.data["offer_id"])

        assert not await expire_offer(
            floor_kit.runtime, account_id=admin.account_id, offer_id=offer_id
        )  # not due yet
        later = utcnow() + timedelta(seconds=61)
        assert await expire_overdue(floor_kit.runtime, now=later) >= 1

        (withdrawn,) = await floor_kit.routing_events(admin.account_id, "offer.withdrawn")
        assert (withdrawn.data["reason"], withdrawn.data["winner_id"]) == ("expired", None)
        late = await routing_client.post(f"/v1/offers/{offer_id}/accept", headers=agent.headers)
        assert (late.status_code, error_code(late)) == (409, "offer_expired")
        offers = await floor_kit.routing_events(admin.account_id, "offer.created")
        assert len(offers) == 2
        assert offers[1].data["conversation_id"] == str(conversation)
        again = await routing_client.post(
            f"/v1/offers/{offers[1].data['offer_id']}/accept", headers=agent.headers
        )
        assert again.status_code == 200
        assert await floor_kit.assignee(conversation) == agent.id

    async def test_an_offer_of_another_account_is_404(self, routing_client, floor_kit):
        admin, inbox_id = await floor_kit.account_with_inbox(strategy="broadcast")
        await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        await floor_kit.open_conversation(admin.account_id, inbox_id)
        (offer,) = await floor_kit.routing_events(admin.account_id, "offer.created")
        outsider = await floor_kit.new_account()
        response = await routing_client.post(
            f"/v1/offers/{offer.data['offer_id']}/accept", headers=outsider.headers
        )
        assert (response.status_code, error_code(response)) == (404, "offer_not_found")


class TestManualAssignment:
    async def test_an_agent_takes_from_the_queue_for_itself_where_it_is_a_member(
        self, routing_client, floor_kit
    ):
        admin, inbox_id = await floor_kit.account_with_inbox()
        waiting = await floor_kit.open_conversation(admin.account_id, inbox_id)
        member = await floor_kit.new_agent(admin.account_id)
        await floor_kit.add_member(member, inbox_id)
        other_member = await floor_kit.new_agent(admin.account_id)
        await floor_kit.add_member(other_member, inbox_id)
        outsider = await floor_kit.new_agent(admin.account_id)

        url = f"/v1/conversations/{waiting}/assignment"
        hidden = await routing_client.post(url, json={}, headers=outsider.headers)
        assert (hidden.status_code, error_code(hidden)) == (404, "conversation_not_found")
        for_other = await routing_client.post(
            url, json={"agent_id": str(outsider.id)}, headers=member.headers
        )
        assert for_other.status_code == 403
        taken = await routing_client.post(url, json={}, headers=member.headers)
        assert taken.status_code == 200, taken.text
        assert taken.json()["agent_id"] == str(member.id)
        again = await routing_client.post(url, json={}, headers=other_member.headers)
        assert (again.status_code, error_code(again)) == (409, "not_queued")
        (made,) = await floor_kit.events_of(
            admin.account_id, "assignment.created", conversation_id=waiting
        )
        assert made.data["reason"] == "manual"
        unknown = await routing_client.post(
            f"/v1/conversations/{uuid.uuid4()}/assignment", json={}, headers=member.headers
        )
        assert (unknown.status_code, error_code(unknown)) == (404, "conversation_not_found")

    async def test_supervisors_assign_members_within_capacity_and_admins_may_override(
        self, routing_client, floor_kit
    ):
        admin = await floor_kit.new_account()
        await floor_kit.set_capacity(admin.account_id, 1)
        inbox_id = await floor_kit.inbox(admin.account_id)
        supervisor = await floor_kit.new_agent(admin.account_id, role=Role.supervisor)
        agent = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        busy = await floor_kit.open_conversation(admin.account_id, inbox_id)
        assert await floor_kit.assignee(busy) == agent.id
        waiting = await floor_kit.open_conversation(admin.account_id, inbox_id)
        url = f"/v1/conversations/{waiting}/assignment"
        body = {"agent_id": str(agent.id)}

        full = await routing_client.post(url, json=body, headers=supervisor.headers)
        assert (full.status_code, error_code(full)) == (409, "at_capacity")
        not_allowed = await routing_client.post(
            url, json={**body, "override_capacity": True}, headers=supervisor.headers
        )
        assert (not_allowed.status_code, error_code(not_allowed)) == (403, "override_not_allowed")
        forced = await routing_client.post(
            url, json={**body, "override_capacity": True}, headers=admin.headers
        )
        assert forced.status_code == 200, forced.text
        assert await floor_kit.load(agent.id) == 2

        other_team = await floor_kit.team(admin.account_id)
        stranger = await floor_kit.new_agent(admin.account_id)
        refused = await routing_client.post(
            f"/v1/conversations/{busy}/assignment",
            json={"agent_id": str(stranger.id)},
            headers=supervisor.headers,
        )
        assert (refused.status_code, error_code(refused)) == (409, "not_a_member")
        foreign = await floor_kit.new_account()
        hidden = await routing_client.post(
            f"/v1/conversations/{busy}/assignment",
            json={"agent_id": str(foreign.id)},
            headers=supervisor.headers,
        )
        assert (hidden.status_code, error_code(hidden)) == (404, "agent_not_found")
        same = await routing_client.post(url, json=body, headers=admin.headers)
        assert (same.status_code, error_code(same)) == (409, "already_assigned")
        sent = await routing_client.post(
            f"/v1/conversations/{busy}/assignment",
            json={"team_id": str(other_team)},
            headers=supervisor.headers,
        )
        assert sent.json()["status"] == "queued"
        assert await floor_kit.assignee(busy) is None
        (removed,) = await floor_kit.routing_events(admin.account_id, "assignment.removed")
        assert removed.data["reason"] == "transfer"
        (team,) = await floor_kit.routing_events(admin.account_id, "assignment.team_changed")
        assert team.data["conversation_id"] == str(busy)
        assert team.data["team_id"] == str(other_team)
        assert team.data["by_agent_id"] == str(supervisor.id)
        again = await routing_client.post(
            f"/v1/conversations/{busy}/assignment",
            json={"team_id": str(other_team)},
            headers=supervisor.headers,
        )
        assert again.status_code == 200, again.text
        told = await floor_kit.routing_events(admin.account_id, "assignment.team_changed")
        assert len(told) == 1  # the same team again is no change


class TestResponseTimer:
    async def test_a_silent_assignee_loses_the_conversation_and_never_gets_it_back(self, floor_kit):
        admin, inbox_id = await floor_kit.account_with_inbox(timeout=60)
        first = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        second = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        conversation = await floor_kit.open_conversation(admin.account_id, inbox_id)
        slow = await floor_kit.assignee(conversation)
        other = second.id if slow == first.id else first.id

        assert await expire_overdue(floor_kit.runtime) == 0  # not due yet
        await expire_overdue(floor_kit.runtime, now=utcnow() + timedelta(seconds=61))

        assert await floor_kit.assignee(conversation) == other
        (removed,) = await floor_kit.routing_events(admin.account_id, "assignment.removed")
        assert removed.data == {
            "conversation_id": str(conversation),
            "inbox_id": str(inbox_id),
            "agent_id": str(slow),
            "reason": "timeout",
        }
        moved = await floor_kit.events_of(
            admin.account_id, "assignment.created", conversation_id=conversation
        )
        assert (moved[-1].data["reason"], moved[-1].data["previous_agent_id"]) == (
            "timeout",
            str(slow),
        )

        # The second one lapses too: nobody left who did not lapse, so it waits in the queue.
        await expire_overdue(floor_kit.runtime, now=utcnow() + timedelta(seconds=125))
        assert await floor_kit.assignee(conversation) is None
        await floor_kit.handle(floor_kit.presence_event(first, online=True))
        assert await floor_kit.assignee(conversation) is None

    async def test_a_reply_by_the_assignee_stops_the_timer(self, floor_kit):
        admin, inbox_id = await floor_kit.account_with_inbox(timeout=60)
        agent = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        conversation = await floor_kit.open_conversation(admin.account_id, inbox_id)
        assignee = await floor_kit.assignee(conversation)
        await floor_kit.reply(admin.account_id, inbox_id, conversation, agent.id, private=True)
        if assignee != agent.id:
            await floor_kit.reply(admin.account_id, inbox_id, conversation, agent.id)
        await floor_kit.reply(admin.account_id, inbox_id, conversation, assignee, private=True)
        await floor_kit.reply(admin.account_id, inbox_id, conversation, assignee)

        await expire_overdue(floor_kit.runtime, now=utcnow() + timedelta(seconds=61))

        assert await floor_kit.assignee(conversation) == assignee
        assert await floor_kit.routing_events(admin.account_id, "assignment.removed") == []

    async def test_a_private_note_or_another_agent_does_not_stop_it(self, floor_kit):
        admin, inbox_id = await floor_kit.account_with_inbox(timeout=60)
        agent = await floor_kit.online_agent(admin.account_id, inbox_id=inbox_id)
        conversation = await floor_kit.open_conversation(admin.account_id, inbox_id)
        await floor_kit.reply(admin.account_id, inbox_id, conversation, agent.id, private=True)
        await floor_kit.reply(admin.account_id, inbox_id, conversation, admin.id)

        await expire_overdue(floor_kit.runtime, now=utcnow() + timedelta(seconds=61))

        assert await floor_kit.assignee(conversation) is None
        assert len(await floor_kit.routing_events(admin.account_id, "assignment.removed")) == 1
