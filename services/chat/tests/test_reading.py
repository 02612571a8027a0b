"""Read positions: each agent's and the visitor's, their unread counts and the events that keep
their other devices (and, for the visitor's "seen", the agents) up to date."""

from __future__ import annotations

import uuid
from typing import Any

from switchboard.chat.organising.store import reads as read_store
from switchboard.contracts.routing import ParticipantAdded
from switchboard.core.events import Audience, utcnow

from .conftest import ChatAccount, error_code
from .test_organising import Case


async def read(
    case: Case, headers: dict[str, str], body: dict[str, Any] | None = None, *, visitor: bool
) -> Any:
    under = "/v1/public/conversations" if visitor else "/v1/conversations"
    return await case.account.client.post(f"{under}/{case.cid}/read", json=body, headers=headers)


class TestAgentReads:
    async def test_unread_counts_what_others_wrote_after_his_position(
        self, chat_account: ChatAccount
    ) -> None:
        case = await Case.opened(chat_account, "hello")  # the visitor's first message
        colleague = uuid.uuid4()
        await chat_account.add_member(colleague)
        assert (await case.detail())["unread_count"] == 1
        await case.agent_writes("mine")  # his own: never unread for him
        await case.agent_writes("a note for you", private=True, agent=colleague)
        await chat_account.client.put(  # a system line: history, not unread
            f"/v1/conversations/{case.cid}/priority",
            json={"priority": "low"},
            headers=chat_account.agent,
        )
        assert (await case.detail())["unread_count"] == 2

        response = await read(case, chat_account.agent, visitor=False)
        assert response.status_code == 200, response.text
        state = response.json()
        assert state["unread_count"] == 0
        assert (await case.detail())["unread_count"] == 0
        assert (await case.detail(chat_account.headers(colleague)))["unread_count"] == 2

        await case.visitor_writes("so?")
        assert (await case.detail())["unread_count"] == 1
        [event] = await case.events("conversation.read")
        assert event.audience == [Audience.agent(chat_account.agent_id)]  # his other devices
        assert event.data["reader_type"] == "agent"
        assert event.data["last_read_message_id"] == state["last_read_message_id"]

    async def test_the_position_never_moves_back(self, chat_account: ChatAccount) -> None:
        case = await Case.opened(chat_account, "one")
        second = await case.visitor_writes("two")
        third = await case.visitor_writes("three")
        up_to = await read(case, chat_account.agent, {"message_id": second["id"]}, visitor=False)
        assert (up_to.json()["last_read_message_id"], up_to.json()["unread_count"]) == (
            second["id"],
            1,
        )
        await read(case, chat_account.agent, {"message_id": third["id"]}, visitor=False)
        back = await read(case, chat_account.agent, {"message_id": second["id"]}, visitor=False)
        assert (back.json()["last_read_message_id"], back.json()["unread_count"]) == (
            third["id"],
            0,
        )
        assert len(await case.events("conversation.read")) == 2  # going back said nothing

    async def test_a_write_of_an_earlier_position_never_moves_it_back(
        self, chat_account: ChatAccount
    ) -> None:
        """Two devices' first reads at once both find no position to lock: the one further on
        stays, whichever writes last."""
        case = await Case.opened(chat_account, "one")
        second = await case.visitor_writes("two")
        third = await case.visitor_writes("three")
        cid, runtime = uuid.UUID(case.cid), chat_account.service.runtime
        written: list[bool] = []
        for message in (third, second):
            async with runtime.db.session() as session:
                mark = await read_store.message_mark(
                    session, chat_account.id, cid, uuid.UUID(message["id"]), "agent"
                )
                assert mark is not None
                moved = await read_store.put(
                    session,
                    account_id=chat_account.id,
                    conversation_id=cid,
                    reader_type="agent",
                    reader_id=chat_account.agent_id,
                    mark=mark,
                    at=utcnow(),
                )
                await session.commit()
            written.append(moved)
        assert written == [True, False]
        detail = await case.detail()
        assert detail["unread_count"] == 0  # still read up to the third

    async def test_another_accounts_conversation_has_nothing_to_read_by_its_ids(
        self, chat_account: ChatAccount, chat_other_account: ChatAccount
    ) -> None:
        """Defence in depth: the queries of reading name the caller's account, so a
        conversation and a message of another account's are not found by their ids."""
        theirs = await Case.opened(chat_other_account, "one")
        message = await theirs.visitor_writes("two")
        marked = await read(theirs, chat_other_account.agent, {}, visitor=False)
        assert marked.status_code == 200, marked.text
        await theirs.visitor_writes("three")
        cid, message_id = uuid.UUID(theirs.cid), uuid.UUID(message["id"])
        reader = chat_other_account.agent_id
        async with chat_other_account.service.runtime.db.session() as session:
            for account_id, found in ((chat_other_account.id, True), (chat_account.id, False)):
                mark = await read_store.message_mark(session, account_id, cid, message_id, "agent")
                latest = await read_store.latest_mark(session, account_id, cid, "agent")
                position = await read_store.position(session, account_id, cid, "agent", reader)
                unread = await read_store.unread_count(
                    session, account_id, cid, "agent", reader, None
                )
                assert (mark is not None, latest is not None, position is not None) == (
                    found,
                    found,
                    found,
                )
                assert unread == (3 if found else 0)

    async def test_a_message_of_another_conversation_is_404(
        self, chat_account: ChatAccount
    ) -> None:
        case = await Case.opened(chat_account)
        other = await Case.opened(chat_account)
        theirs = await other.visitor_writes("elsewhere")
        response = await read(case, chat_account.agent, {"message_id": theirs["id"]}, visitor=False)
        assert (response.status_code, error_code(response)) == (404, "message_not_found")
        outsider = await read(case, chat_account.headers(uuid.uuid4()), visitor=False)
        assert (outsider.status_code, error_code(outsider)) == (404, "conversation_not_found")
        assert await case.events("conversation.read") == []

    async def test_a_monitor_may_mark_what_he_reads(self, chat_account: ChatAccount) -> None:
        case = await Case.opened(chat_account)
        monitor = uuid.uuid4()
        await chat_account.deliver(
            ParticipantAdded(conversation_id=case.cid, agent_id=monitor, kind="monitor"),
            key=case.cid,
        )
        response = await read(case, chat_account.headers(monitor), visitor=False)
        assert (response.status_code, response.json()["unread_count"]) == (200, 0)


class TestVisitorReads:
    async def test_the_visitor_counts_what_agents_said_and_his_seen_reaches_them(
        self, chat_account: ChatAccount
    ) -> None:
        case = await Case.opened(chat_account, "hi")
        await case.assigned()
        assert (await case.visitor_view())["unread_count"] == 0  # his own message
        reply = await case.agent_writes("hello, how can I help?")
        await case.agent_writes("VIP customer", private=True)  # never his to see
        view = await case.visitor_view()
        assert (view["id"], view["unread_count"]) == (case.cid, 1)

        seen = await read(case, case.visitor, visitor=True)
        assert seen.status_code == 200, seen.text
        assert (seen.json()["last_read_message_id"], seen.json()["unread_count"]) == (
            reply["id"],
            0,
        )
        [event] = await case.events("conversation.read")
        assert event.data["reader_type"] == "visitor"
        assert event.data["reader_id"] == case.visitor_id
        assert set(event.audience) == {
            Audience.visitor(case.visitor_id),  # his other devices
            Audience.agent(chat_account.agent_id),  # the assignee sees "seen"
            Audience.inbox(chat_account.inbox["id"]),
        }
        # His position is his own: the agent still has the visitor's "hi" unread.
        assert (await case.detail())["unread_count"] == 1

    async def test_the_visitor_cannot_read_up_to_a_private_note_or_another_conversation(
        self, chat_account: ChatAccount
    ) -> None:
        case = await Case.opened(chat_account)
        note = await case.agent_writes("internal", private=True)
        to_note = await read(case, case.visitor, {"message_id": note["id"]}, visitor=True)
        assert (to_note.status_code, error_code(to_note)) == (404, "message_not_found")
        stranger = await Case.opened(chat_account)
        theirs = await chat_account.client.post(
            f"/v1/public/conversations/{case.cid}/read", headers=stranger.visitor
        )
        assert (theirs.status_code, error_code(theirs)) == (404, "conversation_not_found")
        seen = await chat_account.client.get(
            f"/v1/public/conversations/{case.cid}", headers=stranger.visitor
        )
        assert seen.status_code == 404
        assert await case.events("conversation.read") == []
