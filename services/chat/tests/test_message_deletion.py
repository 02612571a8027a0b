"""Deleting a message: by its author or an admin, a tombstone in its place for every reader,
message.deleted heard by whoever heard the message, the conversation's activity unmoved."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select

from switchboard.chat.deletion.domain.rules import (
    DeletionRefusal,
    MessageFacts,
    deletion_refusal,
)
from switchboard.chat.store.models import Message
from switchboard.contracts.routing import ParticipantAdded
from switchboard.core.auth import Role
from switchboard.core.events import utcnow

from .conftest import ChatAccount, error_code
from .test_message_kinds import VOUCHER


class Floor:
    """A conversation of the account with its visitor, and the paths of its messages."""

    def __init__(self, account: ChatAccount, cid: str, visitor: dict[str, str]) -> None:
        self.account, self.cid, self.visitor = account, cid, visitor
        self.path = f"/v1/conversations/{cid}/messages"

    @classmethod
    async def open(cls, account: ChatAccount) -> Floor:
        _, visitor = await account.create_visitor()
        conversation = await account.open_conversation(visitor)
        return cls(account, conversation["id"], visitor)

    async def agent_says(self, body: dict[str, Any], headers: dict[str, str] | None = None) -> str:
        response = await self.account.client.post(
            self.path, json=body, headers=headers or self.account.agent
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def visitor_says(self, content: str) -> str:
        response = await self.account.client.post(
            f"/v1/public/conversations/{self.cid}/messages",
            json={"content": content},
            headers=self.visitor,
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def delete(self, message_id: str, headers: dict[str, str]) -> Any:
        return await self.account.client.delete(f"{self.path}/{message_id}", headers=headers)

    async def history(self, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
        path = self.path if headers is None else f"/v1/public/conversations/{self.cid}/messages"
        response = await self.account.client.get(path, headers=headers or self.account.admin)
        assert response.status_code == 200, response.text
        return list(reversed(response.json()["items"]))

    async def stored(self, message_id: str) -> Message:
        async with self.account.service.runtime.db.session() as session:
            row = await session.scalar(select(Message).where(Message.id == uuid.UUID(message_id)))
        assert row is not None
        return row

    async def told(self, event_type: str, message_id: str) -> list[Any]:
        """The events of ``event_type`` about the message (created or deleted)."""

        def about(data: dict[str, Any]) -> Any:
            return data["message"]["id"] if "message" in data else data["message_id"]

        events = await self.account.events(event_type)
        return [e for e in events if e.key == self.cid and about(e.data) == message_id]


@pytest.fixture
async def floor(chat_account: ChatAccount) -> Floor:
    return await Floor.open(chat_account)


def is_tombstone(message: dict[str, Any]) -> bool:
    return (
        message["content"] == ""
        and message["payload"] is None
        and message["deleted_at"] is not None
    )


async def test_the_author_deletes_his_message_and_a_tombstone_keeps_its_place(
    floor: Floor,
) -> None:
    first = await floor.visitor_says("do you have a voucher?")
    voucher = await floor.agent_says({"kind": "voucher", "payload": VOUCHER})
    last = await floor.visitor_says("thanks!")

    response = await floor.delete(voucher, floor.account.agent)

    assert (response.status_code, response.content) == (204, b"")
    for headers in (None, floor.visitor):
        history = await floor.history(headers)
        assert [m["id"] for m in history] == [first, voucher, last]
        assert [is_tombstone(m) for m in history] == [False, True, False]
        assert history[1]["kind"] == "voucher"
    stored = await floor.stored(voucher)
    assert (stored.content, stored.payload) == ("", None)
    assert "SUMMER-20" not in str((await floor.history())[1])


async def test_message_deleted_is_heard_by_whoever_heard_the_message(floor: Floor) -> None:
    said = await floor.agent_says({"content": "wrong conversation, sorry"})
    noted = await floor.agent_says({"content": "a note about the visitor", "private": True})
    for message_id in (said, noted):
        assert (await floor.delete(message_id, floor.account.agent)).status_code == 204

    for message_id, private in ((said, False), (noted, True)):
        [created] = await floor.told("message.created", message_id)
        [deleted] = await floor.told("message.deleted", message_id)
        assert sorted(deleted.audience) == sorted(created.audience)
        visitor_heard = any(a.startswith("visitor:") for a in deleted.audience)
        assert visitor_heard is not private
        stored = await floor.stored(message_id)
        assert stored.deleted_at is not None
        assert deleted.data == {
            "conversation_id": floor.cid,
            "inbox_id": floor.account.inbox["id"],
            "message_id": message_id,
            "deleted_at": stored.deleted_at.isoformat().replace("+00:00", "Z"),
        }
    visible = [m["id"] for m in await floor.history(floor.visitor)]
    assert said in visible and noted not in visible


async def test_an_admin_deletes_anyone_s_message(floor: Floor) -> None:
    by_visitor = await floor.visitor_says("my card number is 4111 1111 1111 1111")
    by_agent = await floor.agent_says({"content": "noted"})
    for message_id in (by_visitor, by_agent):
        response = await floor.delete(message_id, floor.account.admin)
        assert response.status_code == 204, response.text
    assert all(is_tombstone(m) for m in await floor.history(floor.visitor))


async def test_another_agent_may_not_delete_what_he_did_not_write(floor: Floor) -> None:
    account = floor.account
    colleague = uuid.uuid4()
    await account.add_member(colleague)
    said = await floor.agent_says({"content": "hello"})
    by_visitor = await floor.visitor_says("hi")
    for message_id in (said, by_visitor):
        for role in (Role.agent, Role.supervisor):
            response = await floor.delete(message_id, account.headers(colleague, role))
            assert response.status_code == 403, response.text
            assert error_code(response) == "not_message_author"
    assert not any(is_tombstone(m) for m in await floor.history())
    assert await floor.told("message.deleted", said) == []


async def test_a_visitor_deletes_nothing(floor: Floor) -> None:
    by_visitor = await floor.visitor_says("oops")
    response = await floor.delete(by_visitor, floor.visitor)
    assert response.status_code == 403, response.text
    assert not any(is_tombstone(m) for m in await floor.history())


async def test_a_deleted_message_is_not_deleted_twice(floor: Floor) -> None:
    said = await floor.agent_says({"content": "hello"})
    assert (await floor.delete(said, floor.account.agent)).status_code == 204
    deleted_at = (await floor.stored(said)).deleted_at
    for headers in (floor.account.agent, floor.account.admin):
        again = await floor.delete(said, headers)
        assert again.status_code == 409, again.text
        assert error_code(again) == "message_already_deleted"
    assert (await floor.stored(said)).deleted_at == deleted_at
    assert len(await floor.told("message.deleted", said)) == 1


async def test_a_system_message_cannot_be_deleted(floor: Floor) -> None:
    account, helper = floor.account, uuid.uuid4()
    joined = ParticipantAdded(
        conversation_id=uuid.UUID(floor.cid), agent_id=helper, kind="participant"
    )
    await account.deliver(joined, key=floor.cid)
    [line] = [m for m in await floor.history() if m["sender_type"] == "system"]
    response = await floor.delete(line["id"], account.admin)
    assert response.status_code == 409, response.text
    assert error_code(response) == "system_message_not_deletable"
    assert (await floor.stored(line["id"])).content == line["content"]


async def test_a_message_the_caller_cannot_reach_answers_404(
    floor: Floor, chat_other_account: ChatAccount
) -> None:
    said = await floor.agent_says({"content": "hello"})
    elsewhere = await Floor.open(floor.account)
    cases = [
        (f"{floor.path}/{uuid.uuid4()}", floor.account.admin, "message_not_found"),
        (f"{elsewhere.path}/{said}", floor.account.admin, "message_not_found"),
        (f"{floor.path}/{said}", chat_other_account.admin, "conversation_not_found"),
        (f"{floor.path}/{said}", floor.account.headers(uuid.uuid4()), "conversation_not_found"),
    ]
    for path, headers, code in cases:
        response = await floor.account.client.delete(path, headers=headers)
        assert response.status_code == 404, (path, response.text)
        assert error_code(response) == code
    assert not is_tombstone((await floor.history())[-1])


async def test_a_deletion_leaves_the_conversation_s_activity_where_it_was(
    chat_account: ChatAccount,
) -> None:
    older = await Floor.open(chat_account)
    said = await older.agent_says({"content": "first"})
    newer = await Floor.open(chat_account)
    await newer.visitor_says("second")

    async def conversations() -> list[dict[str, Any]]:
        response = await chat_account.client.get("/v1/conversations", headers=chat_account.admin)
        return [c for c in response.json()["items"] if c["id"] in (older.cid, newer.cid)]

    before = await conversations()
    assert (await older.delete(said, chat_account.agent)).status_code == 204
    assert await conversations() == before
    assert [c["id"] for c in before] == [newer.cid, older.cid]


class TestRules:
    AUTHOR, OTHER = uuid.uuid4(), uuid.uuid4()

    def refusal(
        self, sender_type: str, sender_id: uuid.UUID | None, *, by: uuid.UUID, admin: bool = False
    ) -> DeletionRefusal | None:
        facts = MessageFacts(sender_type, sender_id, deleted_at=None)
        return deletion_refusal(facts, agent_id=by, admin=admin)

    def test_the_author_and_an_admin_may(self) -> None:
        assert self.refusal("agent", self.AUTHOR, by=self.AUTHOR) is None
        assert self.refusal("agent", self.AUTHOR, by=self.OTHER, admin=True) is None
        assert self.refusal("visitor", self.OTHER, by=self.AUTHOR, admin=True) is None

    def test_nobody_else_may(self) -> None:
        assert self.refusal("agent", self.AUTHOR, by=self.OTHER) is DeletionRefusal.not_author
        # A visitor's id is never an agent's authorship, even if the ids were equal.
        assert self.refusal("visitor", self.AUTHOR, by=self.AUTHOR) is DeletionRefusal.not_author

    def test_a_system_message_never_and_a_deleted_one_not_again(self) -> None:
        system = self.refusal("system", None, by=self.AUTHOR, admin=True)
        assert system is DeletionRefusal.system_message
        deleted = MessageFacts("agent", self.AUTHOR, deleted_at=utcnow())
        refused = deletion_refusal(deleted, agent_id=self.AUTHOR, admin=False)
        assert refused is DeletionRefusal.already_deleted
        # Who may not delete it is told so first, deleted or not.
        stranger = deletion_refusal(deleted, agent_id=self.OTHER, admin=False)
        assert stranger is DeletionRefusal.not_author
