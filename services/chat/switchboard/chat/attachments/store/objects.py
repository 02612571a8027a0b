"""Where the files of attachments are kept: one interface, two back ends chosen by
``SB_ATTACHMENT_STORAGE`` (``local``: a directory, the default; ``s3``: any S3-compatible
object store, see ``store/s3.py``).

An object is written whole from a local file the upload spooled (never from memory) and read
back in chunks; a key is ``<account id>/<attachment id>[.thumbnail]``.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Protocol

from switchboard.core.settings import Settings

__all__ = ["CHUNK_BYTES", "LocalStorage", "ObjectMissing", "Storage", "open_storage"]

CHUNK_BYTES = 64 * 1024


class ObjectMissing(LookupError):
    """The storage has no object of that key."""


class Storage(Protocol):
    async def put(self, key: str, source: Path, *, content_type: str) -> None:
        """Store the file at ``source`` under ``key`` (all of it, or nothing)."""

    def read(self, key: str) -> AsyncIterator[bytes]:
        """The object's bytes in chunks; ``ObjectMissing`` at the first when there is none."""
        ...

    async def copy(self, source_key: str, target_key: str) -> None:
        """Store a copy of the object ``source_key`` under ``target_key`` (each then lives
        and goes on its own); ``ObjectMissing`` when there is no such object."""

    async def delete(self, key: str) -> None:
        """Forget the object; nothing when there is none."""

    async def exists(self, key: str) -> bool: ...


class LocalStorage:
    """A directory: one file per key. A file appears whole (written beside, then renamed)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        path = (self.directory / key).resolve()  # the directory is made by the first put
        if self.directory.resolve() not in path.parents:
            raise ValueError(f"a key outside the storage: {key!r}")
        return path

    async def put(self, key: str, source: Path, *, content_type: str) -> None:
        await asyncio.to_thread(self._put, self._path(key), source)

    @staticmethod
    def _put(target: Path, source: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.partial")
        try:
            shutil.copyfile(source, partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)

    async def read(self, key: str) -> AsyncIterator[bytes]:
        path = self._path(key)
        try:
            file = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError as exc:
            raise ObjectMissing(key) from exc
        try:
            while chunk := await asyncio.to_thread(file.read, CHUNK_BYTES):
                yield chunk
        finally:
            file.close()

    async def copy(self, source_key: str, target_key: str) -> None:
        source, target = self._path(source_key), self._path(target_key)
        try:
            await asyncio.to_thread(self._put, target, source)
        except FileNotFoundError as exc:
            raise ObjectMissing(source_key) from exc

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)


@asynccontextmanager
async def open_storage(settings: Settings) -> AsyncIterator[Storage]:
    """The storage the settings choose, open until the block ends."""
    if settings.attachment_storage == "s3":
        from switchboard.chat.attachments.store.s3 import S3Storage

        async with S3Storage.open(settings) as storage:
            yield storage
        return
    yield LocalStorage(Path(settings.attachment_directory))
