"""The people in chat: an agent's signature under what he sends (when he asks), and the
agents a private note mentions (validated, shown, notified, let read the conversation)."""

from __future__ import annotations

import uuid
from typing import Any

from switchboard.contracts.routing import AgentCreated, AgentUpdated
from switchboard.contracts.values import NotificationPreferences

from .conftest import ChatAccount, error_code


async def known_agent(
    account: ChatAccount,
    name: str,
    *,
    signature: str | None = None,
    muted: tuple[str, ...] = (),
) -> uuid.UUID:
    """A new agent of the account, as routing told chat of him (and of his profile)."""
    agent_id = uuid.uuid4()
    email = f"{agent_id.hex[:8]}@example.com"
    await account.deliver(
        AgentCreated(agent_id=agent_id, name=name, email=email, role="agent"), key=agent_id
    )
    if signature is not None or muted:
        await account.deliver(
            AgentUpdated(
                agent_id=agent_id,
                name=name,
                email=email,
                role="agent",
                active=True,
                capacity=None,
                changed=["signature", "notifications"],
                signature=signature,
                notifications=NotificationPreferences.muting(muted),
            ),
            key=agent_id,
        )
    return agent_id


async def a_conversation(account: ChatAccount) -> str:
    _, visitor = await account.create_visitor(name="Linh")
    return str((await account.open_conversation(visitor, "hello"))["id"])


async def send(
    account: ChatAccount, cid: str, agent_id: uuid.UUID, **body: Any
) -> tuple[int, dict[str, Any]]:
    response = await account.client.post(
        f"/v1/conversations/{cid}/messages",
        json={"content": "On it", **body},
        headers=account.headers(agent_id),
    )
    return response.status_code, response.json()


class TestSignature:
    async def test_the_agent_asks_for_his_signature_under_a_reply(self, chat_account):
        signer = await known_agent(chat_account, "Bao", signature="Bao\nAcme support")
        await chat_account.add_member(signer)
        cid = await a_conversation(chat_account)

        status, sent = await send(chat_account, cid, signer, append_signature=True)

        assert status == 201
        assert sent["content"] == "On it\n\nBao\nAcme support"
        [created] = [
            e
            for e in await chat_account.events("message.created")
            if e.data["message"]["id"] == sent["id"]
        ]
        assert created.data["message"]["content"] == "On it\n\nBao\nAcme support"

    async def test_without_asking_or_on_a_private_note_it_is_not_added(self, chat_account):
        signer = await known_agent(chat_account, "Bao", signature="Bao")
        await chat_account.add_member(signer)
        cid = await a_conversation(chat_account)

        assert (await send(chat_account, cid, signer))[1]["content"] == "On it"
        note = await send(chat_account, cid, signer, private=True, append_signature=True)
        assert note[1]["content"] == "On it"

    async def test_an_agent_without_a_signature_sends_as_is(self, chat_account):
        cid = await a_conversation(chat_account)
        status, sent = await send(chat_account, cid, chat_account.agent_id, append_signature=True)
        assert (status, sent["content"]) == (201, "On it")

    async def test_a_new_signature_applies_to_the_next_message(self, chat_account):
        signer = await known_agent(chat_account, "Bao", signature="Bao")
        await chat_account.add_member(signer)
        cid = await a_conversation(chat_account)
        await known_agent_update(chat_account, signer, "Bao", signature="Bao T.")
        sent = await send(chat_account, cid, signer, append_signature=True)
        assert sent[1]["content"] == "On it\n\nBao T."


async def known_agent_update(
    account: ChatAccount, agent_id: uuid.UUID, name: str, *, signature: str | None
) -> None:
    await account.deliver(
        AgentUpdated(
            agent_id=agent_id,
            name=name,
            email=f"{agent_id.hex[:8]}@example.com",
            role="agent",
            active=True,
            capacity=None,
            changed=["signature"],
            signature=signature,
        ),
        key=agent_id,
    )


class TestMentions:
    async def test_a_note_mentions_an_agent_outside_the_inbox(self, chat_account):
        outsider = await known_agent(chat_account, "Chi")
        cid = await a_conversation(chat_account)
        outsider_headers = chat_account.headers(outsider)
        before = await chat_account.client.get(f"/v1/conversations/{cid}", headers=outsider_headers)
        assert before.status_code == 404

        status, note = await send(
            chat_account, cid, chat_account.agent_id, private=True, mentions=[str(outsider)]
        )

        assert (status, note["mentions"]) == (201, [str(outsider)])
        [created] = [
            e
            for e in await chat_account.events("message.created")
            if e.data["message"]["id"] == note["id"]
        ]
        assert created.data["message"]["mentions"] == [str(outsider)]
        # The conversation's events do not reach him: he is not in their audience.
        assert f"agent:{outsider}" not in created.audience
        [told] = [
            e for e in await chat_account.events("notification.created") if e.key == str(outsider)
        ]
        assert told.audience == [f"agent:{outsider}"]
        assert told.data["notification"]["kind"] == "mention"
        assert told.data["notification"]["conversation_id"] == cid
        assert told.data["notification"]["message_id"] == note["id"]
        assert told.data["unread_count"] == 1

    async def test_a_mention_lets_him_read_but_not_write(self, chat_account):
        outsider = await known_agent(chat_account, "Chi")
        cid = await a_conversation(chat_account)
        await send(chat_account, cid, chat_account.agent_id, private=True, mentions=[str(outsider)])
        headers = chat_account.headers(outsider)

        detail = await chat_account.client.get(f"/v1/conversations/{cid}", headers=headers)
        history = await chat_account.client.get(
            f"/v1/conversations/{cid}/messages", headers=headers
        )
        listed = await chat_account.client.get("/v1/conversations", headers=headers)
        assert (detail.status_code, history.status_code) == (200, 200)
        assert [c["id"] for c in listed.json()["items"]] == [cid]
        refused = await chat_account.client.post(
            f"/v1/conversations/{cid}/messages", json={"content": "hi"}, headers=headers
        )
        assert (refused.status_code, error_code(refused)) == (403, "read_only")
        other = await a_conversation(chat_account)
        unseen = await chat_account.client.get(f"/v1/conversations/{other}", headers=headers)
        assert unseen.status_code == 404

    async def test_a_deleted_note_no_longer_lets_him_read(self, chat_account):
        once = await known_agent(chat_account, "Chi")
        twice = await known_agent(chat_account, "Dung")
        cid = await a_conversation(chat_account)
        author = chat_account.agent_id
        mentions = [str(once), str(twice)]
        _, note = await send(chat_account, cid, author, private=True, mentions=mentions)
        await send(chat_account, cid, author, private=True, mentions=[str(twice)])

        deleted = await chat_account.client.delete(
            f"/v1/conversations/{cid}/messages/{note['id']}", headers=chat_account.agent
        )

        assert deleted.status_code == 204, deleted.text
        path = f"/v1/conversations/{cid}"
        gone = await chat_account.client.get(path, headers=chat_account.headers(once))
        assert gone.status_code == 404
        # Another note, not deleted, still mentions him.
        kept = await chat_account.client.get(path, headers=chat_account.headers(twice))
        assert kept.status_code == 200
        history = await chat_account.client.get(f"{path}/messages", headers=chat_account.admin)
        [tombstone] = [m for m in history.json()["items"] if m["id"] == note["id"]]
        assert (tombstone["content"], tombstone["mentions"]) == ("", [])

    async def test_a_deleted_note_takes_its_mention_notifications_with_it(self, chat_account):
        unread = await known_agent(chat_account, "Chi")
        read = await known_agent(chat_account, "Dung")
        cid = await a_conversation(chat_account)
        author = chat_account.agent_id
        _, note = await send(
            chat_account, cid, author, private=True, mentions=[str(unread), str(read)]
        )
        _, other = await send(chat_account, cid, author, private=True, mentions=[str(unread)])
        [of_read] = (
            await chat_account.client.get("/v1/notifications", headers=chat_account.headers(read))
        ).json()["items"]
        marked = await chat_account.client.post(
            f"/v1/notifications/{of_read['id']}/read", headers=chat_account.headers(read)
        )
        assert marked.status_code == 200, marked.text
        before = len(await chat_account.events())

        deleted = await chat_account.client.delete(
            f"/v1/conversations/{cid}/messages/{note['id']}", headers=chat_account.agent
        )

        assert deleted.status_code == 204, deleted.text
        listed = {
            agent_id: (
                await chat_account.client.get(
                    "/v1/notifications", headers=chat_account.headers(agent_id)
                )
            ).json()
            for agent_id in (unread, read)
        }
        # The other note's mention stays.
        assert [n["message_id"] for n in listed[unread]["items"]] == [other["id"]]
        assert (listed[unread]["unread_count"], listed[read]["unread_count"]) == (1, 0)
        assert listed[read]["items"] == []
        told = {
            e.data["agent_id"]: e
            for e in (await chat_account.events())[before:]
            if e.type == "notification.deleted"
        }
        assert set(told) == {str(unread), str(read)}
        assert told[str(unread)].audience == [f"agent:{unread}"]
        assert told[str(unread)].data["unread_count"] == 1
        assert told[str(read)].data == {
            "agent_id": str(read),
            "notification_id": of_read["id"],
            "unread_count": 0,
        }

    async def test_mentions_only_in_a_private_note(self, chat_account):
        mentioned = await known_agent(chat_account, "Chi")
        cid = await a_conversation(chat_account)
        count = await chat_account.count_messages()
        status, body = await send(
            chat_account, cid, chat_account.agent_id, mentions=[str(mentioned)]
        )
        assert (status, body["error"]["code"]) == (422, "mentions_need_private_note")
        assert await chat_account.count_messages() == count

    async def test_an_agent_unknown_to_the_account_is_refused(
        self, chat_account, chat_other_account
    ):
        theirs = await known_agent(chat_other_account, "Eve")
        cid = await a_conversation(chat_account)
        count = await chat_account.count_messages()
        for unknown in (uuid.uuid4(), theirs):
            status, body = await send(
                chat_account, cid, chat_account.agent_id, private=True, mentions=[str(unknown)]
            )
            assert (status, body["error"]["code"]) == (422, "unknown_mention")
        assert await chat_account.count_messages() == count
        [told] = [
            e
            for e in await chat_other_account.events("notification.created")
            if e.key == str(theirs)
        ] or [None]
        assert told is None

    async def test_a_deactivated_agent_is_refused_naming_him(self, chat_account):
        gone = await known_agent(chat_account, "Giang")
        present = await known_agent(chat_account, "Hoa")
        await chat_account.deliver(
            AgentUpdated(
                agent_id=gone,
                name="Giang",
                email=f"{gone.hex[:8]}@example.com",
                role="agent",
                active=False,
                capacity=None,
                changed=["active"],
            ),
            key=gone,
        )
        cid = await a_conversation(chat_account)
        count = await chat_account.count_messages()

        status, body = await send(
            chat_account,
            cid,
            chat_account.agent_id,
            private=True,
            mentions=[str(present), str(gone)],
        )

        assert (status, body["error"]["code"]) == (422, "unknown_mention")
        assert [detail["msg"] for detail in body["error"]["details"]] == [f"unknown agent {gone}"]
        assert await chat_account.count_messages() == count
        assert not await chat_account.events("notification.created")
        refused = await chat_account.client.get(
            f"/v1/conversations/{cid}", headers=chat_account.headers(gone)
        )
        assert refused.status_code == 404

    async def test_a_muted_mention_makes_no_notification_but_still_lets_him_read(
        self, chat_account
    ):
        quiet = await known_agent(chat_account, "Chi", muted=("mention",))
        loud = await known_agent(chat_account, "Dan")
        cid = await a_conversation(chat_account)
        await send(
            chat_account,
            cid,
            chat_account.agent_id,
            private=True,
            mentions=[str(quiet), str(loud), str(quiet)],
        )
        told = {e.key for e in await chat_account.events("notification.created")}
        # Dan's notification is the barrier: it was made in the same transaction as Chi's.
        assert str(loud) in told
        assert str(quiet) not in told
        detail = await chat_account.client.get(
            f"/v1/conversations/{cid}", headers=chat_account.headers(quiet)
        )
        assert detail.status_code == 200
