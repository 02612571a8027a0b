"""Who sees and writes what in chat: an agent, his inboxes' conversations plus those he is
assigned to, takes part in or is invited into (read-only while monitoring or invited);
supervisors and admins, the whole account. A conversation he may not see is answered as one
that does not exist."""

from __future__ import annotations

import uuid
from typing import Any

from switchboard.chat.events.handlers import handlers
from switchboard.contracts.routing import (
    AssignmentCreated,
    InboxMemberAdded,
    InboxMemberRemoved,
    InvitationCreated,
    InvitationDeclined,
    ParticipantAdded,
)
from switchboard.core.auth import Role

from .conftest import ChatAccount, error_code


class Stranger:
    """An agent of the account who is not a member of the conversation's inbox."""

    def __init__(self, account: ChatAccount) -> None:
        self.account = account
        self.id = uuid.uuid4()
        self.headers = account.headers(self.id)

    async def reads(self, conversation_id: str) -> tuple[int, int]:
        """(GET conversation status, GET messages status)."""
        client, base = self.account.client, f"/v1/conversations/{conversation_id}"
        detail = await client.get(base, headers=self.headers)
        messages = await client.get(f"{base}/messages", headers=self.headers)
        return detail.status_code, messages.status_code

    async def writes(self, conversation_id: str) -> tuple[int, str | None]:
        response = await self.account.client.post(
            f"/v1/conversations/{conversation_id}/messages",
            json={"content": "hello"},
            headers=self.headers,
        )
        code = error_code(response) if response.status_code >= 400 else None
        return response.status_code, code

    async def parks(self, conversation_id: str) -> int:
        response = await self.account.client.patch(
            f"/v1/conversations/{conversation_id}", json={"status": "pending"}, headers=self.headers
        )
        return response.status_code

    async def listed(self) -> list[str]:
        response = await self.account.client.get("/v1/conversations", headers=self.headers)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]


async def opened(account: ChatAccount) -> dict[str, Any]:
    _, visitor = await account.create_visitor()
    return await account.open_conversation(visitor, "xin chào")


async def test_an_agent_outside_the_inbox_neither_sees_nor_writes(
    chat_account: ChatAccount,
) -> None:
    conversation = await opened(chat_account)
    stranger = Stranger(chat_account)
    cid = conversation["id"]
    assert await stranger.reads(cid) == (404, 404)
    assert await stranger.writes(cid) == (404, "conversation_not_found")
    assert await stranger.parks(cid) == 404
    assert cid not in await stranger.listed()
    assert await chat_account.count_messages_in(cid) == 1  # nothing was written

    # The member of the inbox does all of it.
    member = chat_account.agent
    response = await chat_account.client.get(f"/v1/conversations/{cid}", headers=member)
    assert response.status_code == 200
    listed = await chat_account.client.get("/v1/conversations", headers=member)
    assert cid in [item["id"] for item in listed.json()["items"]]


async def test_membership_given_and_taken_applies_at_once(chat_account: ChatAccount) -> None:
    conversation = await opened(chat_account)
    stranger = Stranger(chat_account)
    cid, inbox_id = conversation["id"], conversation["inbox_id"]
    membership = {"inbox_id": inbox_id, "agent_id": stranger.id}
    await chat_account.deliver(InboxMemberAdded(**membership), key=inbox_id)
    assert await stranger.reads(cid) == (200, 200)
    assert (await stranger.writes(cid))[0] == 201
    assert cid in await stranger.listed()

    await chat_account.deliver(InboxMemberRemoved(**membership), key=inbox_id)
    assert await stranger.reads(cid) == (404, 404)
    assert cid not in await stranger.listed()


async def test_the_assignee_sees_and_writes_outside_his_inboxes(chat_account: ChatAccount) -> None:
    conversation = await opened(chat_account)
    stranger = Stranger(chat_account)
    cid = conversation["id"]
    assigned = AssignmentCreated(
        conversation_id=cid,
        inbox_id=conversation["inbox_id"],
        agent_id=stranger.id,
        previous_agent_id=None,
        reason="manual",
    )
    await chat_account.deliver(assigned, key=cid)
    assert await stranger.reads(cid) == (200, 200)
    assert (await stranger.writes(cid))[0] == 201
    assert await stranger.parks(cid) == 200
    assert cid in await stranger.listed()


async def test_a_participant_writes_a_monitor_only_reads(chat_account: ChatAccount) -> None:
    conversation = await opened(chat_account)
    helper, watcher = Stranger(chat_account), Stranger(chat_account)
    cid = conversation["id"]
    for agent, kind in ((helper, "participant"), (watcher, "monitor")):
        added = ParticipantAdded(conversation_id=cid, agent_id=agent.id, kind=kind)
        await chat_account.deliver(added, key=cid)
    assert await helper.reads(cid) == (200, 200)
    assert (await helper.writes(cid))[0] == 201
    assert await watcher.reads(cid) == (200, 200)
    assert await watcher.writes(cid) == (403, "read_only")
    assert await watcher.parks(cid) == 403
    assert cid in await watcher.listed()


async def test_an_invited_agent_reads_until_he_declines(chat_account: ChatAccount) -> None:
    conversation = await opened(chat_account)
    invitee = Stranger(chat_account)
    cid = conversation["id"]
    invitation = {
        "invitation_id": uuid.uuid4(),
        "conversation_id": cid,
        "from_agent_id": chat_account.agent_id,
        "agent_id": invitee.id,
    }
    await chat_account.deliver(InvitationCreated(**invitation), key=cid)
    assert await invitee.reads(cid) == (200, 200)
    assert await invitee.writes(cid) == (403, "read_only")
    await chat_account.deliver(InvitationDeclined(**invitation), key=cid)
    assert await invitee.reads(cid) == (404, 404)


async def test_supervisors_see_and_write_the_whole_account(chat_account: ChatAccount) -> None:
    conversation = await opened(chat_account)
    cid = conversation["id"]
    for role in (Role.supervisor, Role.admin):
        headers = chat_account.headers(uuid.uuid4(), role)
        response = await chat_account.client.get(f"/v1/conversations/{cid}", headers=headers)
        assert response.status_code == 200
        sent = await chat_account.client.post(
            f"/v1/conversations/{cid}/messages", json={"content": "ok"}, headers=headers
        )
        assert sent.status_code == 201


async def test_a_membership_event_is_applied_once(chat_account: ChatAccount) -> None:
    """Redelivered after a membership was taken away, an old ``member_added`` gives nothing."""
    conversation = await opened(chat_account)
    stranger = Stranger(chat_account)
    inbox_id = conversation["inbox_id"]
    membership = {"inbox_id": inbox_id, "agent_id": stranger.id}
    added = await chat_account.deliver(InboxMemberAdded(**membership), key=inbox_id)
    await chat_account.deliver(InboxMemberRemoved(**membership), key=inbox_id)
    await handlers.handler(chat_account.service.runtime)(added)  # at least once: again
    assert await stranger.reads(conversation["id"]) == (404, 404)
