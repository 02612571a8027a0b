"""The files of quick replies: uploaded by whoever manages the reply, shown with working
links to whoever sees it, copied into the conversation the reply is sent to (each copy lives
on its own), and removed with the reply."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .attachments_kit import EXECUTABLE, count_attachments, png, stored_files
from .conftest import ChatAccount, error_code
from .test_quick_replies import PATH, save


async def attach(
    account: ChatAccount,
    reply_id: str,
    headers: dict[str, str],
    name: str = "map.png",
    data: bytes | None = None,
    content_type: str = "image/png",
) -> httpx.Response:
    return await account.client.post(
        f"{PATH}/{reply_id}/attachments",
        files={"file": (name, png(400, 200) if data is None else data, content_type)},
        headers=headers,
    )


async def attached(account: ChatAccount, reply_id: str, **kwargs: Any) -> dict[str, Any]:
    response = await attach(account, reply_id, account.admin, **kwargs)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def read_reply(account: ChatAccount, reply_id: str, headers: dict[str, str]) -> Any:
    response = await account.client.get(f"{PATH}/{reply_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_who_manages_a_reply_adds_its_files(chat_account: ChatAccount) -> None:
    shared = await save(chat_account, chat_account.admin, shortcut="map", visibility="account")
    mine = await save(chat_account, chat_account.agent, shortcut="mine")
    refused = await attach(chat_account, shared["id"], chat_account.agent)
    assert (refused.status_code, error_code(refused)) == (403, "shared_response_admin_only")
    own = await attach(chat_account, mine["id"], chat_account.agent, "a.txt", b"hi", "text/plain")
    assert own.status_code == 201, own.text
    admins_own = await save(chat_account, chat_account.admin, shortcut="secret")
    unseen = await attach(chat_account, admins_own["id"], chat_account.agent)
    assert (unseen.status_code, error_code(unseen)) == (404, "canned_response_not_found")
    image = await attached(chat_account, shared["id"])
    assert (image["kind"], image["content_type"], image["width"], image["height"]) == (
        "image",
        "image/png",
        400,
        200,
    )
    updated = await chat_account.events("canned_response.updated")
    assert [e.data["canned_response"]["id"] for e in updated] == [mine["id"], shared["id"]]


async def test_a_reply_refuses_what_an_upload_refuses(
    chat_account: ChatAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply = await save(chat_account, chat_account.admin, visibility="account")
    exe = await attach(chat_account, reply["id"], chat_account.admin, "cv.pdf", EXECUTABLE)
    assert (exe.status_code, error_code(exe)) == (415, "attachment_type_not_allowed")
    monkeypatch.setattr(chat_account.service.runtime.settings, "attachment_max_bytes", 1000)
    big = await attach(chat_account, reply["id"], chat_account.admin, "big.txt", b"x" * 1001)
    assert (big.status_code, error_code(big)) == (413, "attachment_too_large")
    assert (await read_reply(chat_account, reply["id"], chat_account.agent))["attachments"] == []
    assert stored_files(chat_account) == []


async def test_whoever_sees_a_reply_reads_its_files(
    chat_account: ChatAccount, chat_other_account: ChatAccount
) -> None:
    reply = await save(chat_account, chat_account.admin, visibility="account")
    image = await attached(chat_account, reply["id"])
    text = await attached(
        chat_account, reply["id"], name="a.txt", data=b"hi", content_type="text/plain"
    )
    read = await read_reply(chat_account, reply["id"], chat_account.agent)
    assert [f["id"] for f in read["attachments"]] == [image["id"], text["id"]]
    assert read["attachments"][1]["file_name"] == "a.txt"
    content = await chat_account.client.get(read["attachments"][1]["url"])
    assert (content.status_code, content.content) == (200, b"hi")
    thumbnail = await chat_account.client.get(read["attachments"][0]["thumbnail_url"])
    assert thumbnail.status_code == 200
    [listed] = (await chat_account.client.get(PATH, headers=chat_account.agent)).json()["items"]
    assert [f["id"] for f in listed["attachments"]] == [image["id"], text["id"]]
    other = await chat_other_account.client.get(
        f"{PATH}/{reply['id']}", headers=chat_other_account.admin
    )
    assert other.status_code == 404


async def test_sending_a_reply_gives_the_message_copies_of_its_files(
    chat_account: ChatAccount,
) -> None:
    _, visitor = await chat_account.create_visitor()
    cid = (await chat_account.open_conversation(visitor, "hello"))["id"]
    reply = await save(chat_account, chat_account.admin, visibility="account")
    text = await attached(
        chat_account, reply["id"], name="a.txt", data=b"hi", content_type="text/plain"
    )
    preview = await chat_account.client.get(
        f"/v1/conversations/{cid}/canned-responses/{reply['id']}/preview",
        headers=chat_account.agent,
    )
    assert [f["id"] for f in preview.json()["attachments"]] == [text["id"]]
    sent = await chat_account.client.post(
        f"/v1/conversations/{cid}/messages",
        json={"canned_response_id": reply["id"]},
        headers=chat_account.agent,
    )
    assert sent.status_code == 201, sent.text
    [copy] = sent.json()["attachments"]
    assert copy["id"] != text["id"]
    assert (copy["file_name"], copy["message_id"]) == ("a.txt", sent.json()["id"])
    page = await chat_account.client.get(
        f"/v1/public/conversations/{cid}/messages", headers=visitor
    )
    [listed] = [m for m in page.json()["items"] if m["id"] == sent.json()["id"]]
    download = await chat_account.client.get(listed["attachments"][0]["url"])
    assert (download.status_code, download.content) == (200, b"hi")

    deleted = await chat_account.client.delete(
        f"/v1/conversations/{cid}/messages/{sent.json()['id']}", headers=chat_account.agent
    )
    assert deleted.status_code == 204, deleted.text
    assert (await chat_account.client.get(download.url)).status_code == 404
    [kept] = (await read_reply(chat_account, reply["id"], chat_account.agent))["attachments"]
    still = await chat_account.client.get(kept["url"])
    assert (still.status_code, still.content) == (200, b"hi")


async def test_deleting_a_reply_or_its_file_leaves_the_copies_sent(
    chat_account: ChatAccount,
) -> None:
    _, visitor = await chat_account.create_visitor()
    cid = (await chat_account.open_conversation(visitor, "hello"))["id"]
    reply = await save(chat_account, chat_account.admin, visibility="account")
    image = await attached(chat_account, reply["id"])
    text = await attached(
        chat_account, reply["id"], name="a.txt", data=b"hi", content_type="text/plain"
    )
    sent = await chat_account.client.post(
        f"/v1/conversations/{cid}/messages",
        json={"canned_response_id": reply["id"]},
        headers=chat_account.agent,
    )
    assert sent.status_code == 201, sent.text
    copies = sent.json()["attachments"]
    assert len(stored_files(chat_account)) == 6  # two images with their thumbnails, two texts

    removed = await chat_account.client.delete(
        f"{PATH}/{reply['id']}/attachments/{text['id']}", headers=chat_account.admin
    )
    assert removed.status_code == 204, removed.text
    again = await chat_account.client.delete(
        f"{PATH}/{reply['id']}/attachments/{text['id']}", headers=chat_account.admin
    )
    assert (again.status_code, error_code(again)) == (404, "canned_response_file_not_found")
    [left] = (await read_reply(chat_account, reply["id"], chat_account.agent))["attachments"]
    assert left["id"] == image["id"]

    gone = await chat_account.client.delete(f"{PATH}/{reply['id']}", headers=chat_account.admin)
    assert gone.status_code == 204, gone.text
    assert len(stored_files(chat_account)) == 3  # the copies: an image, its thumbnail, a text
    for copy in copies:
        assert (await chat_account.client.get(copy["url"])).status_code == 200
    assert await count_attachments(chat_account) == 2
    reads = await chat_account.client.get(image["url"])
    assert (reads.status_code, error_code(reads)) == (404, "attachment_not_found")


async def test_a_reply_of_files_alone_sends_them_alone(chat_account: ChatAccount) -> None:
    _, visitor = await chat_account.create_visitor()
    cid = (await chat_account.open_conversation(visitor, "hello"))["id"]
    reply = await save(chat_account, chat_account.admin, visibility="account", content="")
    send = {"canned_response_id": reply["id"]}
    url = f"/v1/conversations/{cid}/messages"
    empty = await chat_account.client.post(url, json=send, headers=chat_account.agent)
    assert (empty.status_code, error_code(empty)) == (422, "validation_error")
    image = await attached(chat_account, reply["id"])
    sent = await chat_account.client.post(url, json=send, headers=chat_account.agent)
    assert sent.status_code == 201, sent.text
    assert sent.json()["content"] == ""
    [copy] = sent.json()["attachments"]
    assert (copy["kind"], copy["width"], copy["height"]) == ("image", image["width"], 200)
    assert (await chat_account.client.get(copy["thumbnail_url"])).status_code == 200
