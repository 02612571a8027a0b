"""Organising a conversation besides labels: its priority, each agent's star, read positions
and unread counts, who waits for a reply, and the history lines of every change."""

from __future__ import annotations

import uuid
from typing import Any

from switchboard.contracts.routing import (
    AssignmentCreated,
    AssignmentRemoved,
    AssignmentTeamChanged,
    QueuePrioritySet,
    TeamCreated,
)
from switchboard.contracts.values import AssignmentReason
from switchboard.core.events import Audience

from .conftest import ChatAccount, error_code


class Case:
    """One visitor's conversation in the account, and the calls the tests make about it."""

    def __init__(self, account: ChatAccount, visitor_id: str, visitor: dict[str, str]) -> None:
        self.account, self.visitor_id, self.visitor = account, visitor_id, visitor
        self.cid = ""

    @classmethod
    async def opened(cls, account: ChatAccount, content: str | None = "hello") -> Case:
        visitor_id, visitor = await account.create_visitor()
        case = cls(account, visitor_id, visitor)
        case.cid = str((await account.open_conversation(visitor, content))["id"])
        return case

    async def detail(self, headers: dict[str, str] | None = None) -> dict[str, Any]:
        response = await self.account.client.get(
            f"/v1/conversations/{self.cid}", headers=headers or self.account.agent
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def visitor_view(self) -> dict[str, Any]:
        response = await self.account.client.get(
            f"/v1/public/conversations/{self.cid}", headers=self.visitor
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def visitor_writes(self, content: str = "anyone?") -> dict[str, Any]:
        response = await self.account.client.post(
            f"/v1/public/conversations/{self.cid}/messages",
            json={"content": content},
            headers=self.visitor,
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def agent_writes(
        self, content: str = "on it", *, private: bool = False, agent: uuid.UUID | None = None
    ) -> dict[str, Any]:
        response = await self.account.client.post(
            f"/v1/conversations/{self.cid}/messages",
            json={"content": content, "private": private},
            headers=self.account.headers(agent or self.account.agent_id),
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def lines(self) -> list[str]:
        response = await self.account.client.get(
            f"/v1/conversations/{self.cid}/messages",
            params={"limit": 100},
            headers=self.account.agent,
        )
        items = reversed(response.json()["items"])
        return [m["content"] for m in items if m["sender_type"] == "system"]

    async def events(self, *types: str) -> list[Any]:
        return [e for e in await self.account.events(*types) if e.key == self.cid]

    async def assigned(
        self,
        agent: uuid.UUID | None = None,
        *,
        reason: AssignmentReason = "auto",
        by: uuid.UUID | None = None,
    ) -> None:
        """Routing assigned the conversation to ``agent`` (the account's agent by default)."""
        assignment = AssignmentCreated(
            conversation_id=self.cid,
            inbox_id=self.account.inbox["id"],
            agent_id=agent or self.account.agent_id,
            previous_agent_id=None,
            reason=reason,
            by_agent_id=by,
        )
        await self.account.deliver(assignment, key=self.cid)


class TestPriority:
    async def test_an_agent_sets_it_and_it_stays_through_assignments(
        self, chat_account: ChatAccount
    ) -> None:
        await chat_account.announce_agent(chat_account.agent_id, name="Lan")
        case = await Case.opened(chat_account)
        assert (await case.detail())["priority"] == "none"
        path = f"/v1/conversations/{case.cid}/priority"

        response = await chat_account.client.put(
            path, json={"priority": "high"}, headers=chat_account.agent
        )
        assert (response.status_code, response.json()["priority"]) == (200, "high")
        same = await chat_account.client.put(
            path, json={"priority": "high"}, headers=chat_account.agent
        )
        assert same.status_code == 200
        bad = await chat_account.client.put(path, json={"priority": 3}, headers=chat_account.agent)
        assert bad.status_code == 422
        other = uuid.uuid4()
        for agent in (other, chat_account.agent_id):
            await case.assigned(agent, reason="manual")
        assert (await case.detail())["priority"] == "high"

        [changed] = await case.events("conversation.priority_changed")  # once: same is nothing
        assert changed.data == {
            "conversation_id": case.cid,
            "inbox_id": chat_account.inbox["id"],
            "priority": "high",
            "previous_priority": "none",
            "changed_by_agent_id": str(chat_account.agent_id),
        }
        assert Audience.visitor(case.visitor_id) not in changed.audience
        assert Audience.role("supervisor") in changed.audience
        assert (await case.lines())[0] == "Lan set the priority to high"

    async def test_the_visitor_never_reads_it(self, chat_account: ChatAccount) -> None:
        case = await Case.opened(chat_account)
        response = await chat_account.client.put(
            f"/v1/conversations/{case.cid}/priority",
            json={"priority": "urgent"},
            headers=chat_account.agent,
        )
        assert response.status_code == 200, response.text

        listed = await chat_account.client.get("/v1/public/conversations", headers=case.visitor)
        opened = await chat_account.open_conversation(case.visitor)
        [item] = [c for c in listed.json()["items"] if c["id"] == case.cid]
        for read in (await case.visitor_view(), item, opened):
            assert "priority" not in read
            assert "waiting_since" in read  # what the visitor may see is there
        assert (await case.detail())["priority"] == "urgent"

    async def test_a_supervisor_on_the_queue_sets_the_same_priority(
        self, chat_account: ChatAccount
    ) -> None:
        case = await Case.opened(chat_account)
        boss = uuid.uuid4()
        await chat_account.announce_agent(boss, name="Boss")
        news = QueuePrioritySet(conversation_id=case.cid, priority="urgent", by_agent_id=boss)
        await chat_account.deliver(news, key=case.cid)
        await chat_account.deliver(news, key=case.cid)  # a new event of the same priority

        assert (await case.detail())["priority"] == "urgent"
        [changed] = await case.events("conversation.priority_changed")
        assert changed.data["changed_by_agent_id"] == str(boss)
        assert await case.lines() == ["Boss set the priority to urgent"]


class TestStars:
    async def test_a_star_is_the_agents_own(self, chat_account: ChatAccount) -> None:
        case = await Case.opened(chat_account)
        colleague = uuid.uuid4()
        await chat_account.add_member(colleague)
        path = f"/v1/conversations/{case.cid}/star"

        for _ in range(2):  # idempotent
            starred = await chat_account.client.put(path, headers=chat_account.agent)
            assert starred.status_code == 204
        assert (await case.detail())["starred"] is True
        assert (await case.detail(chat_account.headers(colleague)))["starred"] is False
        [event] = await case.events("conversation.star_changed")
        assert event.audience == [Audience.agent(chat_account.agent_id)]
        assert event.data == {
            "conversation_id": case.cid,
            "agent_id": str(chat_account.agent_id),
            "starred": True,
        }

        unstarred = await chat_account.client.delete(path, headers=chat_account.agent)
        assert unstarred.status_code == 204
        assert (await case.detail())["starred"] is False
        outsider = await chat_account.client.put(path, headers=chat_account.headers(uuid.uuid4()))
        assert (outsider.status_code, error_code(outsider)) == (404, "conversation_not_found")
        assert [e.data["starred"] for e in await case.events("conversation.star_changed")] == [
            True,
            False,
        ]


class TestHistory:
    async def test_status_changes_and_assignments_are_lines_the_visitor_never_sees(
        self, chat_account: ChatAccount
    ) -> None:
        lan, minh = chat_account.agent_id, uuid.uuid4()
        await chat_account.announce_agent(lan, name="Lan")
        await chat_account.announce_agent(minh, name="Minh")
        case = await Case.opened(chat_account)
        await case.assigned(minh)
        await case.assigned(lan, reason="manual", by=lan)
        supervisor = uuid.uuid4()
        await chat_account.announce_agent(supervisor, name="Boss")
        await case.assigned(minh, reason="manual", by=supervisor)
        removal = AssignmentRemoved(
            conversation_id=case.cid,
            inbox_id=chat_account.inbox["id"],
            agent_id=minh,
            reason="timeout",
        )
        await chat_account.deliver(removal, key=case.cid)
        for status in ("pending", "resolved", "open"):
            response = await chat_account.client.patch(
                f"/v1/conversations/{case.cid}", json={"status": status}, headers=chat_account.agent
            )
            assert response.status_code == 200, response.text

        assert await case.lines() == [
            "Assigned to Minh",
            "Lan took the conversation",
            "Boss assigned the conversation to Minh",
            "Minh was unassigned: the conversation is back in the queue",
            "Lan set the conversation to pending",
            "Lan resolved the conversation",
            "Lan reopened the conversation",
        ]
        public = await chat_account.client.get(
            f"/v1/public/conversations/{case.cid}/messages", headers=case.visitor
        )
        assert [m["content"] for m in public.json()["items"]] == ["hello"]
        [*_, reopened] = await case.events("conversation.status_changed")
        assert reopened.data["changed_by_agent_id"] == str(lan)


class TestWaiting:
    async def test_the_visitor_waits_from_his_first_unanswered_message(
        self, chat_account: ChatAccount
    ) -> None:
        silent = await Case.opened(chat_account, content=None)
        assert (await silent.detail())["waiting_since"] is None
        case = await Case.opened(chat_account)
        first = (await case.detail())["waiting_since"]
        assert first is not None
        await case.visitor_writes("still there?")
        await case.agent_writes("let me check", private=True)  # a note is not an answer
        assert (await case.detail())["waiting_since"] == first

        await case.agent_writes("here I am")
        assert (await case.detail())["waiting_since"] is None
        again = await case.visitor_writes("thanks, and...")
        detail = await case.detail()
        assert detail["waiting_since"] == again["created_at"]
        listed = await chat_account.client.get("/v1/conversations", headers=chat_account.agent)
        [item] = [i for i in listed.json()["items"] if i["id"] == case.cid]
        assert item["waiting_since"] == again["created_at"]

        await case.assigned()
        [assigned] = await case.events("conversation.assigned")
        assert assigned.data["conversation"]["waiting_since"] == again["created_at"]


class TestTeam:
    async def test_routing_sends_it_to_a_team_a_line_an_event_and_a_filter(
        self, chat_account: ChatAccount
    ) -> None:
        await chat_account.announce_agent(chat_account.agent_id, name="Lan")
        team_id = uuid.uuid4()
        billing = TeamCreated(team_id=team_id, name="Billing", fallback_team_id=None)
        await chat_account.deliver(billing, key=team_id)
        case = await Case.opened(chat_account)
        other = await Case.opened(chat_account)
        assert (await case.detail())["team_id"] is None
        change = AssignmentTeamChanged(
            conversation_id=uuid.UUID(case.cid),
            inbox_id=chat_account.inbox["id"],
            team_id=team_id,
            previous_team_id=None,
            by_agent_id=chat_account.agent_id,
        )

        await chat_account.deliver(change, key=case.cid)
        await chat_account.deliver(change, key=case.cid)  # told twice: changed once

        assert (await case.detail())["team_id"] == str(team_id)
        assert await case.lines() == ["Lan sent the conversation to team Billing"]
        [event] = await case.events("conversation.team_changed")
        assert event.data["team_id"] == str(team_id)
        assert event.data["changed_by_agent_id"] == str(chat_account.agent_id)
        assert Audience.visitor(case.visitor_id) not in event.audience
        assert Audience.inbox(chat_account.inbox["id"]) in event.audience
        listed = await chat_account.client.get(
            f"/v1/conversations?team_id={team_id}", headers=chat_account.agent
        )
        assert [item["id"] for item in listed.json()["items"]] == [case.cid]
        assert other.cid not in {item["id"] for item in listed.json()["items"]}
