"""Group commit: sends that arrive together share a transaction, and each keeps its own outcome."""

import asyncio
import uuid

from sqlalchemy import text

from switchboard.chat.service.messages import Draft, Sender, write_messages

from .conftest import ChatAccount, error_code


async def _transactions_of(account: ChatAccount, conversation_ids: list[str]) -> int:
    """How many transactions wrote the messages of these conversations (rows share ``xmin``)."""
    async with account.service.runtime.db.session() as session:
        count = await session.scalar(
            text(
                "SELECT count(DISTINCT xmin::text) FROM chat.message"
                " WHERE conversation_id = ANY(:ids)"
            ),
            {"ids": [uuid.UUID(c) for c in conversation_ids]},
        )
    return int(count or 0)


async def test_a_burst_of_sends_shares_transactions_and_every_message_is_stored_once(
    chat_account: ChatAccount,
) -> None:
    conversations = [
        (await chat_account.open_conversation((await chat_account.create_visitor())[1]))["id"]
        for _ in range(5)
    ]
    sends = [
        chat_account.client.post(
            f"/v1/conversations/{cid}/messages",
            json={"content": f"reply {n}", "client_message_id": f"r-{n}"},
            headers=chat_account.agent,
        )
        for n in range(12)
        for cid in conversations
    ]
    responses = await asyncio.gather(*sends)
    assert [r.status_code for r in responses] == [201] * 60
    assert len({r.json()["id"] for r in responses}) == 60
    for cid in conversations:
        assert await chat_account.count_messages_in(cid) == 12
    # Fewer commits than messages: the sends that waited went in together.
    assert await _transactions_of(chat_account, conversations) < 60
    events = [e for e in await chat_account.events("message.created") if e.key in conversations]
    assert len(events) == 60
    # Each conversation's events come in the order of its stored messages.
    for cid in conversations:
        page = await chat_account.client.get(
            f"/v1/conversations/{cid}/messages", params={"limit": 50}, headers=chat_account.agent
        )
        stored_oldest_first = [m["id"] for m in reversed(page.json()["items"])]
        pushed = [e.data["message"]["id"] for e in events if e.key == cid]
        assert pushed == stored_oldest_first


async def test_a_refused_draft_leaves_the_rest_of_its_batch_alone(
    chat_account: ChatAccount, chat_other_account: ChatAccount
) -> None:
    _, visitor = await chat_account.create_visitor()
    mine = await chat_account.open_conversation(visitor)
    _, other_visitor = await chat_other_account.create_visitor()
    theirs = await chat_other_account.open_conversation(other_visitor)
    agent = Sender(type="agent", id=chat_account.agent_id)

    def draft(conversation_id: str, content: str, client_message_id: str | None = None) -> Draft:
        return Draft(
            account_id=chat_account.id,
            conversation_id=uuid.UUID(conversation_id),
            sender=agent,
            content=content,
            client_message_id=client_message_id,
        )

    outcomes = await write_messages(
        chat_account.service.runtime,
        [
            draft(mine["id"], "first", "same"),
            draft(theirs["id"], "not yours"),
            draft(str(uuid.uuid4()), "nowhere"),
            draft(mine["id"], "first again", "same"),
            draft(mine["id"], "second"),
        ],
    )
    first, not_yours, nowhere, again, second = outcomes
    assert getattr(not_yours, "code", None) == "conversation_not_found"
    assert getattr(nowhere, "code", None) == "conversation_not_found"
    assert not isinstance(first, Exception) and first.created
    assert not isinstance(again, Exception) and not again.created
    assert again.message.id == first.message.id and again.message.content == "first"
    assert not isinstance(second, Exception) and second.created
    assert second.message.created_at > first.message.created_at
    assert await chat_account.count_messages_in(mine["id"]) == 2
    assert await chat_other_account.count_messages_in(theirs["id"]) == 0
    pushed = [e for e in await chat_account.events("message.created") if e.key == mine["id"]]
    assert [e.data["message"]["content"] for e in pushed] == ["first", "second"]


async def test_a_visitor_burst_reopens_a_resolved_conversation_once(
    chat_account: ChatAccount,
) -> None:
    _, visitor = await chat_account.create_visitor()
    conversation = await chat_account.open_conversation(visitor)
    cid = conversation["id"]
    resolved = await chat_account.client.patch(
        f"/v1/conversations/{cid}", json={"status": "resolved"}, headers=chat_account.agent
    )
    assert resolved.status_code == 200, resolved.text
    responses = await asyncio.gather(
        *(
            chat_account.client.post(
                f"/v1/public/conversations/{cid}/messages",
                json={"content": f"hello? {n}"},
                headers=visitor,
            )
            for n in range(10)
        )
    )
    assert [r.status_code for r in responses] == [201] * 10
    reopened = [
        e
        for e in await chat_account.events("conversation.status_changed")
        if e.key == cid and e.data["status"] == "open"
    ]
    assert len(reopened) == 1
    stranger = await chat_account.client.post(
        f"/v1/public/conversations/{cid}/messages",
        json={"content": "not mine"},
        headers=(await chat_account.create_visitor())[1],
    )
    assert stranger.status_code == 404
    assert error_code(stranger) == "conversation_not_found"
