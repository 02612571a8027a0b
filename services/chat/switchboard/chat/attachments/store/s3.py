"""The S3-compatible back end of attachments' storage (AWS S3, MinIO, Ceph, R2, ...), through
aiobotocore. The bucket must exist."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aiobotocore.session import get_session
from botocore.config import Config
from botocore.exceptions import ClientError

from switchboard.chat.attachments.store.objects import CHUNK_BYTES, ObjectMissing
from switchboard.core.settings import Settings

__all__ = ["S3Storage"]

_MISSING = {"NoSuchKey", "404", "NotFound"}


class S3Storage:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self.bucket = bucket

    @classmethod
    @asynccontextmanager
    async def open(cls, settings: Settings) -> AsyncIterator[S3Storage]:
        secret = settings.attachment_s3_secret_access_key.get_secret_value()
        options: dict[str, Any] = {
            "region_name": settings.attachment_s3_region,
            "config": Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}),
        }
        if settings.attachment_s3_endpoint_url:
            options["endpoint_url"] = settings.attachment_s3_endpoint_url
        if settings.attachment_s3_access_key_id:
            options["aws_access_key_id"] = settings.attachment_s3_access_key_id
            options["aws_secret_access_key"] = secret
        async with get_session().create_client("s3", **options) as client:
            yield cls(client, settings.attachment_s3_bucket)

    async def put(self, key: str, source: Path, *, content_type: str) -> None:
        file = await asyncio.to_thread(source.open, "rb")
        try:
            await self._client.put_object(
                Bucket=self.bucket, Key=key, Body=file, ContentType=content_type
            )
        finally:
            file.close()

    async def read(self, key: str) -> AsyncIterator[bytes]:
        try:
            answer = await self._client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _code(exc) in _MISSING:
                raise ObjectMissing(key) from exc
            raise
        async with answer["Body"] as body:
            async for chunk in body.iter_chunks(CHUNK_BYTES):
                yield chunk

    async def copy(self, source_key: str, target_key: str) -> None:
        try:
            await self._client.copy_object(
                Bucket=self.bucket,
                Key=target_key,
                CopySource={"Bucket": self.bucket, "Key": source_key},
            )
        except ClientError as exc:
            if _code(exc) in _MISSING:
                raise ObjectMissing(source_key) from exc
            raise

    async def delete(self, key: str) -> None:
        await self._client.delete_object(Bucket=self.bucket, Key=key)

    async def exists(self, key: str) -> bool:
        try:
            await self._client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _code(exc) in _MISSING:
                return False
            raise
        return True


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
