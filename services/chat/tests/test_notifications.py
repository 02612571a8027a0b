"""Notifications: made from routing's events (built from their models) and from mentions, as
the agent's preferences allow; listed newest first with the unread count; read one or all,
each announced to the agent's devices."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from switchboard.chat.events.handlers import handlers
from switchboard.contracts.routing import (
    AssignmentCreated,
    InvitationCreated,
    TransferRequested,
)
from switchboard.core.events import Envelope

from .conftest import ChatAccount, error_code
from .test_people import a_conversation, known_agent

LATER = datetime(2030, 1, 1, tzinfo=UTC)


async def notifications_of(
    account: ChatAccount, agent_id: uuid.UUID, **params: Any
) -> dict[str, Any]:
    response = await account.client.get(
        "/v1/notifications", params=params, headers=account.headers(agent_id)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def told(account: ChatAccount, agent_id: uuid.UUID, event_type: str) -> list[Envelope]:
    return [e for e in await account.events(event_type) if e.key == str(agent_id)]


async def assign(
    account: ChatAccount,
    cid: str,
    agent_id: uuid.UUID,
    *,
    reason: str = "auto",
    by: uuid.UUID | None = None,
) -> None:
    conversation = await account.client.get(f"/v1/conversations/{cid}", headers=account.admin)
    await account.deliver(
        AssignmentCreated(
            conversation_id=cid,
            inbox_id=conversation.json()["inbox_id"],
            agent_id=agent_id,
            previous_agent_id=None,
            reason=reason,
            by_agent_id=by,
        ),
        key=cid,
    )


async def invite(account: ChatAccount, cid: str, inviter: uuid.UUID, invitee: uuid.UUID) -> None:
    invitation = InvitationCreated(
        invitation_id=uuid.uuid4(), conversation_id=cid, from_agent_id=inviter, agent_id=invitee
    )
    await account.deliver(invitation, key=cid)


class TestFromRoutingsEvents:
    async def test_an_assignment_by_routing_or_by_a_supervisor(self, chat_account):
        ada = await known_agent(chat_account, "Ada")
        bao = await known_agent(chat_account, "Bao")
        by_queue, by_ada = await a_conversation(chat_account), await a_conversation(chat_account)

        await assign(chat_account, by_queue, bao)
        await assign(chat_account, by_ada, bao, reason="manual", by=ada)

        listed = await notifications_of(chat_account, bao)
        assert [
            (n["kind"], n["conversation_id"], n["actor_id"], n["text"]) for n in listed["items"]
        ] == [
            ("assigned", by_ada, str(ada), "Ada assigned a conversation to you"),
            ("assigned", by_queue, None, "A conversation was assigned to you"),
        ]
        assert listed["unread_count"] == 2
        created = await told(chat_account, bao, "notification.created")
        assert [e.audience for e in created] == [[f"agent:{bao}"]] * 2

    async def test_not_when_he_took_it_himself(self, chat_account):
        bao = await known_agent(chat_account, "Bao")
        took, offered, transferred, barrier = [await a_conversation(chat_account) for _ in range(4)]
        await assign(chat_account, took, bao, reason="manual", by=bao)
        await assign(chat_account, offered, bao, reason="offer")
        await assign(chat_account, transferred, bao, reason="transfer")
        await assign(chat_account, barrier, bao, reason="timeout")

        listed = await notifications_of(chat_account, bao)
        assert [n["conversation_id"] for n in listed["items"]] == [barrier]

    async def test_a_transfer_asks_every_agent_it_names(self, chat_account):
        ada, bao, chi = [await known_agent(chat_account, name) for name in ("Ada", "Bao", "Chi")]
        cid = await a_conversation(chat_account)
        await chat_account.deliver(
            TransferRequested(
                transfer_id=uuid.uuid4(),
                conversation_id=cid,
                from_agent_id=ada,
                to_agent_id=None,
                to_team_id=uuid.uuid4(),
                expires_at=LATER,
                target_ids=[bao, chi],
            ),
            key=cid,
        )
        for asked in (bao, chi):
            [only] = (await notifications_of(chat_account, asked))["items"]
            assert (only["kind"], only["text"]) == (
                "transfer",
                "Ada asks you to take over a conversation",
            )
        assert (await notifications_of(chat_account, ada))["items"] == []

    async def test_an_invitation_tells_the_invitee(self, chat_account):
        ada, bao = await known_agent(chat_account, "Ada"), await known_agent(chat_account, "Bao")
        cid = await a_conversation(chat_account)
        await invite(chat_account, cid, ada, bao)
        [only] = (await notifications_of(chat_account, bao))["items"]
        assert (only["kind"], only["conversation_id"], only["text"]) == (
            "invitation",
            cid,
            "Ada invited you into a conversation",
        )

    async def test_a_redelivered_event_makes_one_notification(self, chat_account):
        bao = await known_agent(chat_account, "Bao")
        cid = await a_conversation(chat_account)
        invitation = InvitationCreated(
            invitation_id=uuid.uuid4(),
            conversation_id=cid,
            from_agent_id=chat_account.agent_id,
            agent_id=bao,
        )
        event = await chat_account.deliver(invitation, key=cid)
        await handlers.handler(chat_account.service.runtime)(event)
        assert len((await notifications_of(chat_account, bao))["items"]) == 1


class TestPreferences:
    async def test_a_kind_he_turned_off_is_not_made(self, chat_account):
        ada = await known_agent(chat_account, "Ada")
        quiet = await known_agent(chat_account, "Bao", muted=("assigned",))
        cid = await a_conversation(chat_account)
        await assign(chat_account, cid, quiet, reason="manual", by=ada)
        await invite(chat_account, cid, ada, quiet)
        listed = await notifications_of(chat_account, quiet)
        assert [n["kind"] for n in listed["items"]] == ["invitation"]


class TestListAndRead:
    async def three(self, account: ChatAccount) -> tuple[uuid.UUID, list[str]]:
        """An agent with three notifications; their ids, newest first."""
        ada, bao = await known_agent(account, "Ada"), await known_agent(account, "Bao")
        for _ in range(3):
            await invite(account, await a_conversation(account), ada, bao)
        listed = await notifications_of(account, bao)
        return bao, [n["id"] for n in listed["items"]]

    async def test_pages_newest_first_with_the_unread_count(self, chat_account):
        bao, ids = await self.three(chat_account)
        first = await notifications_of(chat_account, bao, limit=2)
        assert [n["id"] for n in first["items"]] == ids[:2]
        assert first["unread_count"] == 3
        rest = await notifications_of(chat_account, bao, limit=2, cursor=first["next_cursor"])
        assert ([n["id"] for n in rest["items"]], rest["next_cursor"]) == (ids[2:], None)
        assert rest["unread_count"] == 3

    async def test_read_one_tells_his_devices(self, chat_account):
        bao, ids = await self.three(chat_account)
        headers = chat_account.headers(bao)
        read = await chat_account.client.post(f"/v1/notifications/{ids[1]}/read", headers=headers)
        assert read.status_code == 200
        assert read.json()["read_at"] is not None
        listed = await notifications_of(chat_account, bao)
        assert listed["unread_count"] == 2
        assert [n["read_at"] is None for n in listed["items"]] == [True, False, True]
        again = await chat_account.client.post(f"/v1/notifications/{ids[1]}/read", headers=headers)
        assert again.json()["read_at"] == read.json()["read_at"]
        [event] = await told(chat_account, bao, "notification.read")
        assert event.audience == [f"agent:{bao}"]
        assert (event.data["notification_id"], event.data["unread_count"]) == (ids[1], 2)

    async def test_read_all(self, chat_account):
        bao, ids = await self.three(chat_account)
        headers = chat_account.headers(bao)
        await chat_account.client.post(f"/v1/notifications/{ids[0]}/read", headers=headers)
        done = await chat_account.client.post("/v1/notifications/read", headers=headers)
        assert done.json() == {"read": 2, "unread_count": 0}
        listed = await notifications_of(chat_account, bao)
        assert listed["unread_count"] == 0
        assert all(n["read_at"] is not None for n in listed["items"])
        events = await told(chat_account, bao, "notification.read")
        assert [(e.data["notification_id"], e.data["unread_count"]) for e in events] == [
            (ids[0], 2),
            (None, 0),
        ]
        nothing_left = await chat_account.client.post("/v1/notifications/read", headers=headers)
        assert nothing_left.json() == {"read": 0, "unread_count": 0}
        assert len(await told(chat_account, bao, "notification.read")) == 2

    async def test_only_his_own(self, chat_account, chat_other_account):
        bao, ids = await self.three(chat_account)
        for headers in (
            chat_account.headers(chat_account.agent_id),
            chat_account.admin,
            chat_other_account.headers(bao),
        ):
            refused = await chat_account.client.post(
                f"/v1/notifications/{ids[0]}/read", headers=headers
            )
            assert (refused.status_code, error_code(refused)) == (404, "notification_not_found")
        assert (await notifications_of(chat_account, chat_account.agent_id))["items"] == []
        assert (await notifications_of(chat_account, bao))["unread_count"] == 3

    async def test_a_visitor_has_none(self, chat_account):
        _, visitor = await chat_account.create_visitor()
        refused = await chat_account.client.get("/v1/notifications", headers=visitor)
        assert refused.status_code == 403
