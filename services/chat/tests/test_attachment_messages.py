"""Messages with attachments: sends that take uploads, message.created with signed links, the
lists of shared files, private notes' files kept from the visitor, signed links' expiry and
tampering, and the sweep of uploads nobody sent."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import update

from switchboard.chat.attachments.domain.links import link_key, signed_path
from switchboard.chat.attachments.service.sweep import remove_unsent_attachments
from switchboard.chat.store.models import Attachment
from switchboard.core.auth import Role
from switchboard.core.events import utcnow

from .attachments_kit import count_attachments, ogg_voice_note, stored_files, uploaded
from .conftest import ChatAccount, error_code


async def _conversation(account: ChatAccount) -> tuple[str, str, dict[str, str]]:
    visitor_id, visitor = await account.create_visitor()
    conversation = await account.open_conversation(visitor)
    return conversation["id"], visitor_id, visitor


async def _send(
    account: ChatAccount, cid: str, headers: dict[str, str], *, visitor: bool = False, **body: Any
) -> Any:
    prefix = "/v1/public" if visitor else "/v1"
    return await account.client.post(
        f"{prefix}/conversations/{cid}/messages", json=body, headers=headers
    )


async def test_a_message_takes_uploads_and_message_created_carries_them(
    chat_account: ChatAccount,
) -> None:
    cid, visitor_id, visitor = await _conversation(chat_account)
    image = await uploaded(chat_account, cid, chat_account.agent)
    text = await uploaded(chat_account, cid, chat_account.agent, "a.txt", b"hello", "text/plain")
    sent = await _send(
        chat_account, cid, chat_account.agent, attachment_ids=[image["id"], text["id"]]
    )
    assert sent.status_code == 201, sent.text
    message = sent.json()
    assert message["content"] == ""
    assert [a["id"] for a in message["attachments"]] == [image["id"], text["id"]]
    assert {a["message_id"] for a in message["attachments"]} == {message["id"]}
    [event] = [
        e
        for e in await chat_account.events("message.created")
        if e.data["message"]["id"] == message["id"]
    ]
    pushed = event.data["message"]["attachments"]
    assert [a["id"] for a in pushed] == [image["id"], text["id"]]
    assert pushed[0]["kind"] == "image" and pushed[0]["thumbnail_url"].startswith("/v1/")
    assert f"visitor:{visitor_id}" in event.audience
    download = await chat_account.client.get(pushed[1]["url"])
    assert download.status_code == 200 and download.content == b"hello"
    page = await chat_account.client.get(
        f"/v1/public/conversations/{cid}/messages", headers=visitor
    )
    [listed] = [m for m in page.json()["items"] if m["id"] == message["id"]]
    assert [a["id"] for a in listed["attachments"]] == [image["id"], text["id"]]


async def test_content_may_be_empty_only_beside_attachments(chat_account: ChatAccount) -> None:
    cid, _, visitor = await _conversation(chat_account)
    empty = await _send(chat_account, cid, visitor, visitor=True, content="  ")
    assert empty.status_code == 422
    voice = await uploaded(
        chat_account, cid, visitor, "voice.ogg", ogg_voice_note(), "audio/ogg", visitor=True
    )
    sent = await _send(
        chat_account, cid, visitor, visitor=True, content="nghe nè", attachment_ids=[voice["id"]]
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["content"] == "nghe nè"
    assert sent.json()["attachments"][0]["kind"] == "audio"


async def test_only_the_senders_unsent_uploads_of_the_conversation_are_taken(
    chat_account: ChatAccount,
) -> None:
    cid, _, visitor = await _conversation(chat_account)
    other_cid, _, _ = await _conversation(chat_account)
    mine = await uploaded(chat_account, cid, chat_account.agent)
    visitors = await uploaded(chat_account, cid, visitor, visitor=True)
    elsewhere = await uploaded(chat_account, other_cid, chat_account.agent)
    before = await chat_account.count_messages_in(cid)
    for ids in (
        [visitors["id"]],
        [elsewhere["id"]],
        [mine["id"], str(uuid.uuid4())],
    ):
        refused = await _send(
            chat_account, cid, chat_account.agent, content="x", attachment_ids=ids
        )
        assert refused.status_code == 422, refused.text
        assert error_code(refused) == "attachment_not_sendable"
    assert await chat_account.count_messages_in(cid) == before
    first = await _send(chat_account, cid, chat_account.agent, attachment_ids=[mine["id"]])
    assert first.status_code == 201
    again = await _send(chat_account, cid, chat_account.agent, attachment_ids=[mine["id"]])
    assert error_code(again) == "attachment_not_sendable"


async def test_a_replayed_send_answers_with_its_attachments(chat_account: ChatAccount) -> None:
    cid, _, visitor = await _conversation(chat_account)
    photo = await uploaded(chat_account, cid, visitor, visitor=True)
    body = {"attachment_ids": [photo["id"]], "client_message_id": "c-9"}
    first = await _send(chat_account, cid, visitor, visitor=True, **body)
    second = await _send(chat_account, cid, visitor, visitor=True, **body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert [a["id"] for a in second.json()["attachments"]] == [photo["id"]]


async def test_a_private_notes_files_never_reach_the_visitor(chat_account: ChatAccount) -> None:
    cid, visitor_id, visitor = await _conversation(chat_account)
    shown = await uploaded(chat_account, cid, chat_account.agent, "shown.png")
    hidden = await uploaded(chat_account, cid, chat_account.agent, "hidden.png")
    await _send(chat_account, cid, chat_account.agent, attachment_ids=[shown["id"]])
    note = await _send(
        chat_account, cid, chat_account.agent, private=True, attachment_ids=[hidden["id"]]
    )
    assert note.status_code == 201
    [event] = [
        e
        for e in await chat_account.events("message.created")
        if e.data["message"]["id"] == note.json()["id"]
    ]
    assert f"visitor:{visitor_id}" not in event.audience
    public = await chat_account.client.get(
        f"/v1/public/conversations/{cid}/attachments", headers=visitor
    )
    assert [a["id"] for a in public.json()["items"]] == [shown["id"]]
    messages = await chat_account.client.get(
        f"/v1/public/conversations/{cid}/messages", headers=visitor
    )
    assert hidden["id"] not in messages.text
    agents = await chat_account.client.get(
        f"/v1/conversations/{cid}/attachments", headers=chat_account.agent
    )
    assert [a["id"] for a in agents.json()["items"]] == [hidden["id"], shown["id"]]


async def test_lists_of_shared_files_show_only_what_the_caller_may_see(
    chat_account: ChatAccount,
) -> None:
    cid, visitor_id, visitor = await _conversation(chat_account)
    photo = await uploaded(chat_account, cid, visitor, visitor=True)
    unsent = await uploaded(chat_account, cid, visitor, visitor=True)
    await _send(chat_account, cid, visitor, visitor=True, attachment_ids=[photo["id"]])
    # A second inbox of the account, whose conversations the agent does not see.
    other_inbox = await chat_account.create_inbox("Shop")
    token = other_inbox["widget_token"]
    registered = await chat_account.client.post(f"/v1/public/inboxes/{token}/visitors", json={})
    elsewhere_visitor = {"Authorization": f"Bearer {registered.json()['token']}"}
    elsewhere = await chat_account.open_conversation(elsewhere_visitor)
    hers = await uploaded(chat_account, elsewhere["id"], elsewhere_visitor, visitor=True)
    await _send(
        chat_account, elsewhere["id"], elsewhere_visitor, visitor=True, attachment_ids=[hers["id"]]
    )
    mine = await chat_account.client.get(
        f"/v1/visitors/{visitor_id}/attachments", headers=chat_account.agent
    )
    assert [a["id"] for a in mine.json()["items"]] == [photo["id"]]
    assert unsent["id"] not in mine.text
    path = f"/v1/visitors/{registered.json()['visitor_id']}/attachments"
    hidden = await chat_account.client.get(path, headers=chat_account.agent)
    assert (hidden.status_code, error_code(hidden)) == (404, "visitor_not_found")
    supervisor = chat_account.headers(uuid.uuid4(), Role.supervisor)
    seen = await chat_account.client.get(path, headers=supervisor)
    assert [a["id"] for a in seen.json()["items"]] == [hers["id"]]
    other_visitor_reads = await chat_account.client.get(
        f"/v1/public/conversations/{cid}/attachments", headers=elsewhere_visitor
    )
    assert other_visitor_reads.status_code == 404
    outsider = chat_account.headers(uuid.uuid4())
    agent_outside = await chat_account.client.get(
        f"/v1/conversations/{elsewhere['id']}/attachments", headers=outsider
    )
    assert agent_outside.status_code == 404


async def test_a_signed_link_expires_and_cannot_be_altered(chat_account: ChatAccount) -> None:
    cid, _, _ = await _conversation(chat_account)
    photo = await uploaded(chat_account, cid, chat_account.agent)
    good = await chat_account.client.get(photo["url"])
    assert good.status_code == 200
    key = link_key(chat_account.service.settings.signing_secret())
    attachment_id = uuid.UUID(photo["id"])
    expired = signed_path(key, attachment_id, "content", int(time.time()) - 1)
    answer = await chat_account.client.get(expired)
    assert (answer.status_code, error_code(answer)) == (403, "attachment_link_expired")
    tampered = photo["url"].replace("expires=", "expires=9")
    answer = await chat_account.client.get(tampered)
    assert (answer.status_code, error_code(answer)) == (403, "attachment_link_invalid")
    other = await uploaded(chat_account, cid, chat_account.agent)
    swapped = photo["url"].replace(photo["id"], other["id"])
    answer = await chat_account.client.get(swapped)
    assert (answer.status_code, error_code(answer)) == (403, "attachment_link_invalid")
    as_thumbnail = photo["url"].replace("/content?", "/thumbnail?")
    answer = await chat_account.client.get(as_thumbnail)
    assert (answer.status_code, error_code(answer)) == (403, "attachment_link_invalid")


async def test_uploads_nobody_sent_are_removed_after_their_time(
    chat_account: ChatAccount,
) -> None:
    cid, _, visitor = await _conversation(chat_account)
    sent = await uploaded(chat_account, cid, visitor, visitor=True)
    await _send(chat_account, cid, visitor, visitor=True, attachment_ids=[sent["id"]])
    old = await uploaded(chat_account, cid, visitor, visitor=True)
    fresh = await uploaded(chat_account, cid, visitor, visitor=True)
    runtime = chat_account.service.runtime
    long_ago = utcnow() - timedelta(days=2)
    async with runtime.work() as work:
        await work.session.execute(
            update(Attachment)
            .where(Attachment.id.in_([uuid.UUID(sent["id"]), uuid.UUID(old["id"])]))
            .values(created_at=long_ago)
        )
    assert await remove_unsent_attachments(runtime) >= 1
    assert await count_attachments(chat_account) == 2
    assert (await chat_account.client.get(old["url"])).status_code == 404
    assert (await chat_account.client.get(fresh["url"])).status_code == 200
    assert (await chat_account.client.get(sent["thumbnail_url"])).status_code == 200
    assert len(stored_files(chat_account)) == 4  # two images, each with its thumbnail


async def test_deleting_a_message_removes_its_files(chat_account: ChatAccount) -> None:
    cid, _, _ = await _conversation(chat_account)
    image = await uploaded(chat_account, cid, chat_account.agent)
    sent = await _send(chat_account, cid, chat_account.agent, attachment_ids=[image["id"]])
    assert sent.status_code == 201, sent.text
    link = sent.json()["attachments"][0]["url"]
    assert (await chat_account.client.get(link)).status_code == 200

    deleted = await chat_account.client.delete(
        f"/v1/conversations/{cid}/messages/{sent.json()['id']}", headers=chat_account.agent
    )
    assert deleted.status_code == 204, deleted.text
    assert await count_attachments(chat_account) == 0
    assert stored_files(chat_account) == []  # the objects went after the commit
    listed = await chat_account.client.get(
        f"/v1/conversations/{cid}/attachments", headers=chat_account.agent
    )
    assert listed.json()["items"] == []
    gone = await chat_account.client.get(link)
    assert (gone.status_code, error_code(gone)) == (404, "attachment_not_found")
