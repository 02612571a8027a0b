"""Uploads: the type from the content, the inbox's size limit, thumbnails, nothing left of a
refused or broken upload, who may upload where."""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from switchboard.chat.attachments.service.receiving import Upload
from switchboard.chat.attachments.service.uploads import upload_attachment
from switchboard.chat.attachments.store.objects import LocalStorage
from switchboard.core.auth import principal_from_token

from .attachments_kit import (
    EXECUTABLE,
    count_attachments,
    ogg_voice_note,
    other_id,
    png,
    stored_files,
    upload,
    uploaded,
)
from .conftest import ChatAccount, error_code


async def _conversation(account: ChatAccount) -> tuple[str, dict[str, str]]:
    _, visitor = await account.create_visitor()
    conversation = await account.open_conversation(visitor)
    return conversation["id"], visitor


async def _get(account: ChatAccount, url: str) -> httpx.Response:
    return await account.client.get(url)  # no bearer: the signed link is enough


async def test_a_png_named_pdf_is_an_image_with_its_size_and_a_thumbnail(
    chat_account: ChatAccount,
) -> None:
    cid, _ = await _conversation(chat_account)
    body = await uploaded(
        chat_account, cid, chat_account.agent, "report.pdf", png(1600, 900), "application/pdf"
    )
    assert (body["kind"], body["content_type"]) == ("image", "image/png")
    assert (body["width"], body["height"]) == (1600, 900)
    assert body["file_name"] == "report.pdf" and body["message_id"] is None
    thumbnail = await _get(chat_account, body["thumbnail_url"])
    assert thumbnail.status_code == 200
    with Image.open(io.BytesIO(thumbnail.content)) as image:
        assert image.size == (320, 180)
    original = await _get(chat_account, body["url"])
    assert original.content == png(1600, 900)
    assert original.headers["content-type"] == "image/png"


async def test_a_small_image_keeps_its_size_in_the_thumbnail(chat_account: ChatAccount) -> None:
    cid, _ = await _conversation(chat_account)
    body = await uploaded(chat_account, cid, chat_account.agent, data=png(100, 40))
    thumbnail = await _get(chat_account, body["thumbnail_url"])
    with Image.open(io.BytesIO(thumbnail.content)) as image:
        assert image.size == (100, 40)


async def test_an_executable_named_png_is_refused_and_leaves_nothing(
    chat_account: ChatAccount,
) -> None:
    cid, _ = await _conversation(chat_account)
    response = await upload(
        chat_account, cid, chat_account.agent, "cat.png", EXECUTABLE, "image/png"
    )
    assert response.status_code == 415
    assert error_code(response) == "attachment_type_not_allowed"
    assert await count_attachments(chat_account) == 0
    assert stored_files(chat_account) == []


async def test_an_image_that_does_not_decode_is_refused(chat_account: ChatAccount) -> None:
    cid, _ = await _conversation(chat_account)
    broken = png()[:200]  # a PNG's signature, then nothing that decodes
    response = await upload(chat_account, cid, chat_account.agent, "a.png", broken, "image/png")
    assert response.status_code == 415
    assert error_code(response) == "attachment_type_not_allowed"
    assert await count_attachments(chat_account) == 0 and stored_files(chat_account) == []


async def test_plain_text_and_a_voice_note_are_taken_by_content(
    chat_account: ChatAccount,
) -> None:
    cid, visitor = await _conversation(chat_account)
    text = await uploaded(
        chat_account, cid, visitor, "notes", "Xin chào, đơn hàng 42".encode(), "", visitor=True
    )
    assert (text["kind"], text["content_type"], text["thumbnail_url"]) == (
        "file",
        "text/plain",
        None,
    )
    voice = await uploaded(
        chat_account, cid, visitor, "voice.bin", ogg_voice_note(), "audio/ogg", visitor=True
    )
    assert (voice["kind"], voice["content_type"]) == ("audio", "audio/ogg")
    download = await _get(chat_account, voice["url"])
    assert download.headers["content-disposition"].startswith("inline;")
    file = await _get(chat_account, text["url"])
    assert file.headers["content-disposition"].startswith("attachment;")
    assert file.headers["x-content-type-options"] == "nosniff"


async def test_the_inbox_limit_is_enforced_while_streaming(chat_service: Any) -> None:
    account = ChatAccount(service=chat_service)
    response = await account.client.post(
        "/v1/inboxes", json={"name": "Tiny", "attachment_max_bytes": 1000}, headers=account.admin
    )
    assert response.status_code == 201 and response.json()["attachment_max_bytes"] == 1000
    account.inbox = response.json()
    cid, visitor = await _conversation(account)
    exact = await upload(account, cid, visitor, "a.txt", b"a" * 1000, visitor=True)
    assert exact.status_code == 201, exact.text
    over = await upload(account, cid, visitor, "b.txt", b"b" * 1001, visitor=True)
    assert over.status_code == 413
    assert error_code(over) == "attachment_too_large"
    assert await count_attachments(account) == 1
    assert len(stored_files(account)) == 1


async def test_the_inbox_limit_cannot_pass_the_ceiling(chat_account: ChatAccount) -> None:
    ceiling = chat_account.service.settings.attachment_max_bytes_ceiling
    response = await chat_account.client.post(
        "/v1/inboxes",
        json={"name": "Huge", "attachment_max_bytes": ceiling + 1},
        headers=chat_account.admin,
    )
    assert response.status_code == 422


async def test_a_half_upload_leaves_nothing(chat_account: ChatAccount) -> None:
    cid, visitor = await _conversation(chat_account)
    boundary = "b0undary"
    cut = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode() + png()  # the closing boundary never comes
    response = await chat_account.client.post(
        f"/v1/public/conversations/{cid}/attachments",
        content=cut,
        headers={**visitor, "content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 422
    assert error_code(response) == "upload_without_file"
    assert await count_attachments(chat_account) == 0 and stored_files(chat_account) == []


async def test_an_upload_must_be_multipart_with_a_file(chat_account: ChatAccount) -> None:
    cid, visitor = await _conversation(chat_account)
    path = f"/v1/public/conversations/{cid}/attachments"
    raw = await chat_account.client.post(
        path, content=png(), headers={**visitor, "content-type": "image/png"}
    )
    assert (raw.status_code, error_code(raw)) == (415, "upload_not_multipart")
    nameless = await chat_account.client.post(
        path, data={"note": "no file here"}, files={"other": ("x.png", png())}, headers=visitor
    )
    assert (nameless.status_code, error_code(nameless)) == (422, "upload_without_file")


async def test_nobody_uploads_into_a_conversation_he_may_not_write(
    chat_account: ChatAccount, chat_other_account: ChatAccount
) -> None:
    cid, _ = await _conversation(chat_account)
    _, stranger = await chat_account.create_visitor()
    as_other_visitor = await upload(chat_account, cid, stranger, "a.png", png(), visitor=True)
    assert (as_other_visitor.status_code, error_code(as_other_visitor)) == (
        404,
        "conversation_not_found",
    )
    outsider = chat_account.headers(chat_other_account.agent_id)
    assert (await upload(chat_account, cid, outsider, "a.png", png())).status_code == 404
    other_account = await upload(chat_other_account, cid, chat_other_account.admin, "a.png", png())
    assert other_account.status_code == 404
    unknown = await upload(chat_account, other_id(), chat_account.agent, "a.png", png())
    assert unknown.status_code == 404
    assert await count_attachments(chat_account) == 0


class _BreaksOnThumbnail(LocalStorage):
    """The local storage, failing when the thumbnail is written (a disk full, S3 gone)."""

    async def put(self, key: str, source: Path, *, content_type: str) -> None:
        if ".thumbnail" in key:
            raise OSError("no space left on device")
        await super().put(key, source, content_type=content_type)


async def _one_chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def test_an_upload_whose_storage_fails_midway_leaves_nothing(
    chat_account: ChatAccount,
) -> None:
    cid, visitor = await _conversation(chat_account)
    settings = chat_account.service.settings
    request = httpx.Request(
        "POST", "http://chat/upload", files={"file": ("a.png", png(), "image/png")}
    )
    body = request.read()
    uploader = principal_from_token(settings, visitor["Authorization"].removeprefix("Bearer "))
    with pytest.raises(OSError):
        await upload_attachment(
            chat_account.service.runtime,
            _BreaksOnThumbnail(Path(settings.attachment_directory)),
            uploader=uploader,
            conversation_id=uuid.UUID(cid),
            upload=Upload(_one_chunk(body), request.headers["content-type"]),
        )
    assert await count_attachments(chat_account) == 0
    assert stored_files(chat_account) == []  # the original, stored first, was removed again
