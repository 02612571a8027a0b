"""Files to upload and the calls that upload them, for the attachment tests."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import httpx
from PIL import Image
from sqlalchemy import func, select

from switchboard.chat.store.models import Attachment

from .conftest import ChatAccount

# A Windows executable's first bytes (the "MZ" header): never taken, whatever its name.
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(512)


def png(width: int = 800, height: int = 600) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def ogg_voice_note() -> bytes:
    """The first page of an Ogg stream (what a voice note of a phone starts with)."""
    return b"OggS\x00\x02" + bytes(20) + b"\x01\x13OpusHead\x01\x01" + bytes(64)


async def upload(
    account: ChatAccount,
    conversation_id: str,
    headers: dict[str, str],
    name: str,
    data: bytes,
    content_type: str = "application/octet-stream",
    *,
    visitor: bool = False,
) -> httpx.Response:
    prefix = "/v1/public" if visitor else "/v1"
    return await account.client.post(
        f"{prefix}/conversations/{conversation_id}/attachments",
        files={"file": (name, data, content_type)},
        headers=headers,
    )


async def uploaded(
    account: ChatAccount,
    conversation_id: str,
    headers: dict[str, str],
    name: str = "photo.png",
    data: bytes | None = None,
    content_type: str = "image/png",
    *,
    visitor: bool = False,
) -> dict[str, Any]:
    response = await upload(
        account,
        conversation_id,
        headers,
        name,
        png() if data is None else data,
        content_type,
        visitor=visitor,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def count_attachments(account: ChatAccount) -> int:
    async with account.service.runtime.db.session() as session:
        count = await session.scalar(
            select(func.count()).select_from(Attachment).where(Attachment.account_id == account.id)
        )
    return int(count or 0)


def stored_files(account: ChatAccount) -> list[Path]:
    """The local storage's files of the account (the suite's storage is local)."""
    root = Path(account.service.settings.attachment_directory) / str(account.id)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def other_id() -> str:
    return str(uuid.uuid4())
