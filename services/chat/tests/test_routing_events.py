"""Routing's events in chat: assignments, participants, monitors and transfers.

Each test feeds routing's events, built from their models, to chat's handler (as the
consumer group does) and checks what a user would notice: the conversation over REST, its
history for agents and for the visitor, and the audiences of what chat publishes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import select

from switchboard.chat.events.handlers import handlers
from switchboard.chat.store.models import ConversationParticipant
from switchboard.contracts.event import Event
from switchboard.contracts.routing import (
    AgentCreated,
    AssignmentCreated,
    AssignmentRemoved,
    ParticipantAdded,
    ParticipantRemoved,
    TeamCreated,
    TransferAccepted,
    TransferExpired,
    TransferRejected,
    TransferRequested,
)
from switchboard.core.bus import Handler
from switchboard.core.events import Audience, Envelope
from switchboard.core.testing import eventually

from .conftest import ChatAccount, error_code

SUPERVISORS = "role:supervisor"
LATER = datetime(2030, 1, 1, tzinfo=UTC)


@dataclass
class Floor:
    """One conversation of a visitor, chat's handler, and the helpers to talk about both."""

    account: ChatAccount
    handle: Handler
    visitor_id: str
    visitor: dict[str, str]
    conversation: dict[str, Any]
    staffed_lines: int = 0  # the assignment's line ("Assigned to Lan") once staffed

    @property
    def cid(self) -> str:
        return str(self.conversation["id"])

    async def send(self, payload: Event) -> Envelope:
        """Routing's ``payload`` about this conversation, handled by chat."""
        return await self.account.deliver(payload, key=self.cid)

    async def agent(self, name: str | None) -> uuid.UUID:
        """A new agent of the account; routing told chat its name unless ``name`` is None."""
        agent_id = uuid.uuid4()
        if name is not None:
            email = f"{agent_id.hex[:8]}@example.com"
            created = AgentCreated(agent_id=agent_id, name=name, email=email, role="agent")
            await self.account.deliver(created, key=agent_id)
        return agent_id

    async def staffed(self, *names: str) -> list[uuid.UUID]:
        """New agents of the account, the first assigned to the conversation."""
        agents = [await self.agent(name) for name in names]
        await self.assign(agents[0])
        self.staffed_lines = 1
        return agents

    async def assign(
        self, agent_id: uuid.UUID, previous_agent_id: uuid.UUID | None = None, reason: str = "auto"
    ) -> Envelope:
        return await self.send(
            AssignmentCreated(
                conversation_id=self.cid,
                inbox_id=self.conversation["inbox_id"],
                agent_id=agent_id,
                previous_agent_id=previous_agent_id,
                reason=reason,
            )
        )

    async def unassign(self, agent_id: uuid.UUID, reason: str) -> Envelope:
        inbox_id = self.conversation["inbox_id"]
        return await self.send(
            AssignmentRemoved(
                conversation_id=self.cid, inbox_id=inbox_id, agent_id=agent_id, reason=reason
            )
        )

    async def participant(self, added: bool, agent_id: uuid.UUID, kind: str) -> Envelope:
        news = ParticipantAdded if added else ParticipantRemoved
        return await self.send(news(conversation_id=self.cid, agent_id=agent_id, kind=kind))

    async def events(self, *types: str) -> list[Envelope]:
        return [e for e in await self.account.events(*types) if e.key == self.cid]

    async def detail(self) -> dict[str, Any]:
        response = await self.account.client.get(
            f"/v1/conversations/{self.cid}", headers=self.account.agent
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def history(self) -> list[dict[str, Any]]:
        """The agents' view of the messages, oldest first."""
        return await self._messages("/v1/conversations", self.account.agent)

    async def public_history(self) -> list[dict[str, Any]]:
        """The visitor's view of the messages, oldest first."""
        return await self._messages("/v1/public/conversations", self.visitor)

    async def _messages(self, under: str, headers: dict[str, str]) -> list[dict[str, Any]]:
        response = await self.account.client.get(
            f"{under}/{self.cid}/messages", params={"limit": 100}, headers=headers
        )
        assert response.status_code == 200, response.text
        return list(reversed(response.json()["items"]))

    async def system_lines(self) -> list[str]:
        """The lines of history after the assignment ``staffed`` wrote."""
        lines = [m["content"] for m in await self.history() if m["sender_type"] == "system"]
        return lines[self.staffed_lines :]

    async def agent_writes(self, agent_id: uuid.UUID, content: str, private: bool = False) -> Any:
        response = await self.account.client.post(
            f"/v1/conversations/{self.cid}/messages",
            json={"content": content, "private": private},
            headers=self.account.headers(agent_id),
        )
        assert response.status_code == 201, response.text
        return response.json()


def is_system(event: Envelope) -> bool:
    return bool(event.data["message"]["sender_type"] == "system")


async def open_floor(account: ChatAccount) -> Floor:
    visitor_id, visitor = await account.create_visitor()
    conversation = await account.open_conversation(visitor, "I need help with my order")
    return Floor(
        account=account,
        handle=handlers.handler(account.service.runtime),
        visitor_id=visitor_id,
        visitor=visitor,
        conversation=conversation,
    )


class TestAssignments:
    async def test_the_reason_travels_and_the_previous_agent_is_told(
        self, chat_account: ChatAccount
    ) -> None:
        floor = await open_floor(chat_account)
        lan, minh = await floor.staffed("Lan", "Minh")
        await floor.assign(minh, previous_agent_id=lan, reason="transfer")

        first, second = await floor.events("conversation.assigned")
        assert (first.data["reason"], second.data["reason"]) == ("auto", "transfer")
        assert second.data["assignee_id"] == str(minh)
        assert second.data["previous_assignee_id"] == str(lan)
        assert {Audience.agent(minh), Audience.agent(lan)} <= set(second.audience)
        assert (await floor.detail())["assignee"] == {"id": str(minh), "name": "Minh"}

    async def test_routings_previous_agent_is_told_even_when_chat_knew_another(
        self, chat_account: ChatAccount
    ) -> None:
        floor = await open_floor(chat_account)
        lan, minh, huy = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        await floor.assign(lan)
        await floor.assign(minh, previous_agent_id=huy, reason="timeout")
        last = (await floor.events("conversation.assigned"))[-1]
        assert {Audience.agent(a) for a in (minh, lan, huy)} <= set(last.audience)
        assert last.data["reason"] == "timeout"

    async def test_a_removal_sends_the_conversation_back_to_nobody(
        self, chat_account: ChatAccount
    ) -> None:
        floor = await open_floor(chat_account)
        [lan] = await floor.staffed("Lan")
        removal = await floor.unassign(lan, reason="timeout")
        detail = await floor.detail()
        assert (detail["assignee_id"], detail["assignee"]) == (None, None)
        last = (await floor.events("conversation.assigned"))[-1]
        assert last.data["assignee_id"] is None
        assert last.data["previous_assignee_id"] == str(lan)
        assert last.data["reason"] == "timeout"
        assert last.data["conversation"]["assignee_id"] is None
        assert last.audience == [
            Audience.agent(lan),
            Audience.inbox(floor.conversation["inbox_id"]),
            Audience.visitor(floor.visitor_id),
            SUPERVISORS,
        ]
        # The same event again, or a removal of someone who is not the assignee: nothing.
        await floor.handle(removal)
        await floor.unassign(uuid.uuid4(), reason="transfer")
        assert len(await floor.events("conversation.assigned")) == 2

    async def test_a_late_removal_does_not_unassign_the_new_assignee(
        self, chat_account: ChatAccount
    ) -> None:
        floor = await open_floor(chat_account)
        lan, minh = uuid.uuid4(), uuid.uuid4()
        await floor.assign(lan)
        await floor.assign(minh, previous_agent_id=lan, reason="transfer")
        await floor.unassign(lan, reason="transfer")
        assert (await floor.detail())["assignee_id"] == str(minh)

    async def test_an_agents_reply_names_its_sender_for_the_response_timer(
        self, chat_account: ChatAccount
    ) -> None:
        floor = await open_floor(chat_account)
        [lan] = await floor.staffed("Lan")
        sent = await floor.agent_writes(lan, "Let me check")
        [event] = [
            e
            for e in await floor.events("message.created")
            if e.data["message"]["id"] == sent["id"]
        ]
        message = event.data["message"]
        assert (message["sender_type"], message["sender_id"]) == ("agent", str(lan))
        assert message["private"] is False


class TestParticipants:
    async def test_a_participant_joins_is_listed_and_hears_everything(
        self, chat_account: ChatAccount
    ) -> None:
        floor = await open_floor(chat_account)
        lan, minh = await floor.staffed("Lan", "Minh")
        await floor.participant(True, minh, "participant")

        assert (await floor.detail())["participants"] == [
            {"id": str(minh), "name": "Minh", "kind": "participant"}
        ]
        [assigned, joined] = [m for m in await floor.history() if m["sender_type"] == "system"]
        assert assigned["content"] == "Assigned to Lan"
        assert joined["content"] == "Minh joined the conversation"
        assert (joined["sender_id"], joined["private"]) == (None, True)
        [event] = [
            e
            for e in await floor.events("message.created")
            if e.data["message"]["id"] == joined["id"]
        ]
        assert event.audience == [
            Audience.agent(lan),
            Audience.agent(minh),
            Audience.inbox(floor.conversation["inbox_id"]),
        ]
        assert event.data["message"]["sender_type"] == "system"

        # Everything chat publishes about the conversation from now on reaches Minh.
        await floor.agent_writes(lan, "Minh, can you look at the invoice?", private=True)
        await floor.agent_writes(minh, "On it")
        await chat_account.client.post(
            f"/v1/public/conversations/{floor.cid}/messages",
            json={"content": "thanks"},
            headers=floor.visitor,
        )
        resolved = await chat_account.client.patch(
            f"/v1/conversations/{floor.cid}",
            json={"status": "resolved"},
            headers=chat_account.agent,
        )
        assert resolved.status_code == 200
        await floor.assign(uuid.uuid4(), previous_agent_id=lan, reason="manual")
        later = await floor.events("message.created", "conversation.status_changed")
        later += (await floor.events("conversation.assigned"))[-1:]
        after_join = [e for e in later if e.occurred_at >= event.occurred_at]
        # The join's line, three messages, the resolve and its line, the assignment and its line.
        assert len(after_join) == 8
        assert all(Audience.agent(minh) in e.audience for e in after_join), after_join

    async def test_a_participant_leaves_and_hears_no_more(self, chat_account: ChatAccount) -> None:
        floor = await open_floor(chat_account)
        lan, minh = await floor.staffed("Lan", "Minh")
        await floor.participant(True, minh, "participant")
        removal = await floor.participant(False, minh, "participant")
        await floor.handle(removal)  # redelivered: still one "left"

        assert (await floor.detail())["participants"] == []
        assert await floor.system_lines() == ["Minh joined the conversation", "Minh left"]
        [_, _, left] = [e for e in await floor.events("message.created") if is_system(e)]
        assert Audience.agent(minh) in left.audience  # the leaver sees it go
        note = await floor.agent_writes(lan, "thanks Minh", private=True)
        [event] = [
            e
            for e in await floor.events("message.created")
            if e.data["message"]["id"] == note["id"]
        ]
        assert Audience.agent(minh) not in event.audience

    async def test_the_same_join_twice_writes_one_line(self, chat_account: ChatAccount) -> None:
        floor = await open_floor(chat_account)
        minh = await floor.agent(None)  # routing has not told chat the name yet
        joined = await floor.participant(True, minh, "participant")
        await floor.handle(joined)
        await floor.participant(True, minh, "participant")  # a new event, same state
        assert await floor.system_lines() == ["An agent joined the conversation"]
        assert (await floor.detail())["participants"] == [
            {"id": str(minh), "name": None, "kind": "participant"}
        ]

    async def test_a_monitor_is_silent_but_hears_everything(
        self, chat_account: ChatAccount
    ) -> None:
        floor = await open_floor(chat_account)
        lan, boss = await floor.staffed("Lan", "Boss")
        before = await floor.events()
        public_before = await floor.public_history()
        visitor_view = await chat_account.client.get(
            "/v1/public/conversations", headers=floor.visitor
        )

        await floor.participant(True, boss, "monitor")
        assert await floor.events() == before  # nothing published at all
        assert await floor.system_lines() == []
        assert (await floor.detail())["participants"] == [
            {"id": str(boss), "name": "Boss", "kind": "monitor"}
        ]
        assert await floor.public_history() == public_before
        again = await chat_account.client.get("/v1/public/conversations", headers=floor.visitor)
        assert again.json() == visitor_view.json()
        assert "participants" not in again.json()["items"][0]

        reply = await floor.agent_writes(lan, "Hello!")
        note = await floor.agent_writes(lan, "VIP customer", private=True)
        for sent in (reply, note):
            [event] = [
                e
                for e in await floor.events("message.created")
                if e.data["message"]["id"] == sent["id"]
            ]
            assert Audience.agent(boss) in event.audience
        [reply_event] = [
            e
            for e in await floor.events("message.created")
            if e.data["message"]["content"] == "Hello!"
        ]
        # The visitor still gets the reply; nothing in its body names the monitor.
        assert Audience.visitor(floor.visitor_id) in reply_event.audience
        assert str(boss) not in orjson.dumps(reply_event.data).decode()

        mark = len(await floor.events())
        await floor.participant(False, boss, "monitor")
        assert len(await floor.events()) == mark
        assert (await floor.detail())["participants"] == []
        await floor.agent_writes(lan, "bye")
        assert Audience.agent(boss) not in (await floor.events("message.created"))[-1].audience

    async def test_a_monitor_invited_to_help_joins_visibly(self, chat_account: ChatAccount) -> None:
        floor = await open_floor(chat_account)
        boss = await floor.agent("Boss")
        await floor.participant(True, boss, "monitor")
        await floor.participant(True, boss, "participant")
        await floor.participant(False, boss, "monitor")  # stray: Boss is a participant now
        assert (await floor.detail())["participants"] == [
            {"id": str(boss), "name": "Boss", "kind": "participant"}
        ]
        assert await floor.system_lines() == ["Boss joined the conversation"]

    async def test_participating_lists_the_callers_conversations(
        self, chat_account: ChatAccount
    ) -> None:
        helping, watching, other = [await open_floor(chat_account) for _ in range(3)]
        me = chat_account.agent_id
        await helping.participant(True, me, "participant")
        await watching.participant(True, me, "monitor")
        await other.participant(True, uuid.uuid4(), "participant")
        await other.assign(me)

        async def ids(**params: Any) -> set[str]:
            response = await chat_account.client.get(
                "/v1/conversations", params=params | {"limit": 100}, headers=chat_account.agent
            )
            assert response.status_code == 200, response.text
            return {c["id"] for c in response.json()["items"]}

        assert await ids(participating="true") == {helping.cid, watching.cid}
        assert await ids(participating="true", assignee="me") == set()
        assert other.cid in await ids(participating="false", assignee="me")
        bad = await chat_account.client.get(
            "/v1/conversations", params={"participating": "maybe"}, headers=chat_account.agent
        )
        assert (bad.status_code, error_code(bad)) == (422, "validation_error")

    async def test_another_accounts_conversation_is_left_alone(
        self, chat_account: ChatAccount, chat_other_account: ChatAccount
    ) -> None:
        theirs = await open_floor(chat_other_account)
        intruder = uuid.uuid4()
        # Named in chat_account's account, about the other account's conversation.
        forged = ParticipantAdded(conversation_id=theirs.cid, agent_id=intruder, kind="participant")
        await chat_account.deliver(forged, key=theirs.cid)
        async with chat_account.service.runtime.db.session() as session:
            rows = await session.scalars(
                select(ConversationParticipant).where(ConversationParticipant.agent_id == intruder)
            )
            assert list(rows) == []
        assert await theirs.system_lines() == []
        other = await chat_account.client.get(
            f"/v1/conversations/{theirs.cid}", headers=chat_account.agent
        )
        assert (other.status_code, error_code(other)) == (404, "conversation_not_found")


class TestTransfers:
    async def test_every_step_is_a_line_of_history_the_visitor_never_sees(
        self, chat_account: ChatAccount
    ) -> None:
        floor = await open_floor(chat_account)
        lan, minh, huy = await floor.staffed("Lan", "Minh", "Huy")
        public_before = await floor.public_history()
        visitor_events_before = [
            e for e in await floor.events() if Audience.visitor(floor.visitor_id) in e.audience
        ]

        def transfer(to: uuid.UUID) -> dict[str, Any]:
            return {
                "transfer_id": uuid.uuid4(),
                "conversation_id": floor.cid,
                "from_agent_id": lan,
                "to_agent_id": to,
                "to_team_id": None,
            }

        first = transfer(minh)
        await floor.send(TransferRequested(**first, expires_at=LATER))
        rejected = await floor.send(
            TransferRejected(**first, by_agent_id=minh, reason="with another customer")
        )
        await floor.handle(rejected)  # redelivered: one line only
        second = transfer(huy)
        await floor.send(TransferRequested(**second, expires_at=LATER))
        await floor.send(TransferExpired(**second, by_agent_id=None, reason="expired"))
        third = transfer(minh)
        await floor.send(TransferRequested(**third, expires_at=LATER))
        await floor.send(TransferAccepted(**third, by_agent_id=minh, reason=None))

        assert await floor.system_lines() == [
            "Lan asked to transfer this conversation to Minh",
            "Minh rejected the transfer from Lan: with another customer",
            "Lan asked to transfer this conversation to Huy",
            "The transfer to Huy expired without an answer",
            "Lan asked to transfer this conversation to Minh",
            "Minh accepted the transfer from Lan",
        ]
        lines = [m for m in await floor.history() if m["sender_type"] == "system"]
        assert all(m["private"] and m["sender_id"] is None for m in lines)
        assert await floor.public_history() == public_before

        system_events = [e for e in await floor.events("message.created") if is_system(e)][1:]
        assert len(system_events) == 6  # after the line of the assignment
        visitor = Audience.visitor(floor.visitor_id)
        assert all(visitor not in e.audience for e in system_events)
        assert all(e.data["message"]["private"] is True for e in system_events)
        assert {Audience.agent(lan), Audience.agent(minh)} <= set(system_events[1].audience)
        assert Audience.agent(huy) in system_events[3].audience
        assert SUPERVISORS not in system_events[0].audience
        assert {Audience.inbox(floor.conversation["inbox_id"])} <= set(system_events[0].audience)
        visitor_events_after = [e for e in await floor.events() if visitor in e.audience]
        assert visitor_events_after == visitor_events_before
        # System lines are history, not activity: the visitor's view of the conversation holds.
        visitor_view = await chat_account.client.get(
            "/v1/public/conversations", headers=floor.visitor
        )
        [mine] = [c for c in visitor_view.json()["items"] if c["id"] == floor.cid]
        assert mine["last_message_at"] == floor.conversation["last_message_at"]

    async def test_a_transfer_to_a_team_is_named_by_the_team_projection(
        self, chat_account: ChatAccount
    ) -> None:
        floor = await open_floor(chat_account)
        lan, anh = await floor.agent("Lan"), await floor.agent("Anh")
        billing, unknown = uuid.uuid4(), uuid.uuid4()
        team = TeamCreated(team_id=billing, name="Billing", fallback_team_id=None)
        await chat_account.deliver(team, key=billing)
        to_billing = {
            "transfer_id": uuid.uuid4(),
            "conversation_id": floor.cid,
            "from_agent_id": lan,
            "to_agent_id": None,
            "to_team_id": billing,
        }
        await floor.send(TransferRequested(**to_billing, expires_at=LATER))
        await floor.send(TransferAccepted(**to_billing, by_agent_id=anh, reason=None))
        to_unknown = to_billing | {"transfer_id": uuid.uuid4(), "to_team_id": unknown}
        await floor.send(TransferRequested(**to_unknown, expires_at=LATER))
        await floor.send(TransferRejected(**to_unknown, by_agent_id=None, reason=None))
        stranger = to_billing | {"from_agent_id": uuid.uuid4()}
        await floor.send(TransferRequested(**stranger, expires_at=LATER))
        assert await floor.system_lines() == [
            "Lan asked to transfer this conversation to team Billing",
            "Anh accepted the transfer from Lan",
            "Lan asked to transfer this conversation to a team",
            "The transfer to a team was rejected",
            "An agent asked to transfer this conversation to team Billing",
        ]

    async def test_participants_and_monitors_see_the_transfer_lines(
        self, chat_account: ChatAccount
    ) -> None:
        floor = await open_floor(chat_account)
        lan, minh, boss = [await floor.agent(n) for n in ("Lan", "Minh", "Boss")]
        await floor.assign(lan)
        await floor.participant(True, minh, "participant")
        await floor.participant(True, boss, "monitor")
        await floor.send(
            TransferRequested(
                transfer_id=uuid.uuid4(),
                conversation_id=floor.cid,
                from_agent_id=lan,
                to_agent_id=None,
                to_team_id=uuid.uuid4(),
                expires_at=LATER,
            )
        )
        last = (await floor.events("message.created"))[-1]
        assert (
            last.data["message"]["content"] == "Lan asked to transfer this conversation to a team"
        )
        assert {Audience.agent(a) for a in (lan, minh, boss)} <= set(last.audience)
        assert Audience.visitor(floor.visitor_id) not in last.audience


async def test_routing_events_arrive_through_the_consumer_group(
    chat_account: ChatAccount,
) -> None:
    floor = await open_floor(chat_account)
    runtime = chat_account.service.runtime
    minh = uuid.uuid4()
    created = AgentCreated(agent_id=minh, name="Minh", email="minh@example.com", role="agent")
    joined = ParticipantAdded(conversation_id=floor.cid, agent_id=minh, kind="participant")
    for payload, key in ((created, minh), (joined, floor.cid)):
        event = Envelope.of(payload, account_id=chat_account.id, key=key)
        await runtime.bus.publish("routing", event)
    assert await eventually(floor.system_lines) == ["Minh joined the conversation"]
    assert (await floor.detail())["participants"][0]["name"] == "Minh"
