"""The storage contract of attachments, on both back ends: a directory, and an S3-compatible
object store (moto's server, started on a free port by this module)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import boto3
import pytest
import pytest_asyncio
from moto.server import ThreadedMotoServer
from pydantic import SecretStr

from switchboard.chat.app import create_app
from switchboard.chat.attachments.store.objects import (
    CHUNK_BYTES,
    ObjectMissing,
    Storage,
    open_storage,
)
from switchboard.core.settings import Settings
from switchboard.core.testing import free_port, serving

from .attachments_kit import EXECUTABLE, png, upload, uploaded
from .conftest import ChatAccount, ChatService

BUCKET = "sb-test-attachments"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


def s3_settings(sb_settings: Settings, endpoint: str) -> Settings:
    return sb_settings.model_copy(
        update={
            "attachment_storage": "s3",
            "attachment_s3_endpoint_url": endpoint,
            "attachment_s3_bucket": BUCKET,
            "attachment_s3_access_key_id": "test",
            "attachment_s3_secret_access_key": SecretStr("test"),
        }
    )


@pytest_asyncio.fixture(params=["local", "s3"], loop_scope="session")
async def storage(
    request: pytest.FixtureRequest, sb_settings: Settings, tmp_path: Path
) -> AsyncIterator[Storage]:
    if request.param == "s3":
        settings = s3_settings(sb_settings, request.getfixturevalue("s3_endpoint"))
    else:
        settings = sb_settings.model_copy(update={"attachment_directory": str(tmp_path / "files")})
    async with open_storage(settings) as opened:
        yield opened


async def _read(storage: Storage, key: str) -> bytes:
    return b"".join([chunk async for chunk in storage.read(key)])


def _file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / uuid.uuid4().hex
    path.write_bytes(data)
    return path


async def test_an_object_is_read_back_as_written(storage: Storage, tmp_path: Path) -> None:
    key = f"{uuid.uuid4()}/{uuid.uuid4()}"
    data = bytes(range(256)) * (CHUNK_BYTES // 64)  # several chunks
    await storage.put(key, _file(tmp_path, data), content_type="application/pdf")
    assert await storage.exists(key)
    chunks = [chunk async for chunk in storage.read(key)]
    assert b"".join(chunks) == data
    assert len(chunks) > 1


async def test_a_second_put_replaces_the_object(storage: Storage, tmp_path: Path) -> None:
    key = f"{uuid.uuid4()}/x"
    await storage.put(key, _file(tmp_path, b"first"), content_type="text/plain")
    await storage.put(key, _file(tmp_path, b"second"), content_type="text/plain")
    assert await _read(storage, key) == b"second"


async def test_a_deleted_or_unknown_object_is_missing(storage: Storage, tmp_path: Path) -> None:
    key = f"{uuid.uuid4()}/y"
    await storage.put(key, _file(tmp_path, b"gone soon"), content_type="text/plain")
    await storage.delete(key)
    assert not await storage.exists(key)
    with pytest.raises(ObjectMissing):
        await _read(storage, key)
    await storage.delete(key)  # forgetting twice is no error
    with pytest.raises(ObjectMissing):
        await _read(storage, f"{uuid.uuid4()}/never")


async def test_a_copy_outlives_its_source(storage: Storage, tmp_path: Path) -> None:
    source, target = f"{uuid.uuid4()}/a", f"{uuid.uuid4()}/b"
    data = bytes(range(256)) * (CHUNK_BYTES // 64)
    await storage.put(source, _file(tmp_path, data), content_type="application/pdf")
    await storage.copy(source, target)
    await storage.delete(source)
    assert await _read(storage, target) == data
    with pytest.raises(ObjectMissing):
        await storage.copy(source, f"{uuid.uuid4()}/c")


async def test_the_local_storage_refuses_keys_outside_it(sb_settings: Settings) -> None:
    async with open_storage(sb_settings) as storage:
        with pytest.raises(ValueError):
            await storage.exists("../../etc/passwd")


async def test_uploads_and_downloads_go_through_the_s3_storage(
    sb_settings: Settings, s3_endpoint: str
) -> None:
    settings = s3_settings(sb_settings, s3_endpoint)
    app = create_app(settings)
    async with serving(app) as client:
        account = ChatAccount(service=ChatService(app=app, client=client, settings=settings))
        account.inbox = await account.create_inbox()
        _, visitor = await account.create_visitor()
        conversation = await account.open_conversation(visitor)
        photo = await uploaded(account, conversation["id"], visitor, visitor=True)
        refused = await upload(
            account, conversation["id"], visitor, "x.png", EXECUTABLE, visitor=True
        )
        assert refused.status_code == 415
        download = await client.get(photo["url"])
        assert download.status_code == 200 and download.content == png()
        assert (await client.get(photo["thumbnail_url"])).status_code == 200
    objects = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).list_objects_v2(Bucket=BUCKET, Prefix=f"{account.id}/")
    assert len(objects.get("Contents", [])) == 2  # the image and its thumbnail, nothing else
