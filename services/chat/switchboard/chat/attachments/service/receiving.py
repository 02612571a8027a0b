"""An upload's body, streamed: the multipart part named ``file`` goes to a temporary file as
it arrives, counted against its limit (the inbox's; the account's for a quick reply):
``AttachmentTooLarge`` at the first byte too many, before the rest is read; never held whole
in memory."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.multipart import MultipartParser, parse_options_header

from switchboard.chat.attachments.domain.files import SNIFF_BYTES
from switchboard.chat.errors import AttachmentTooLarge, UploadNotMultipart, UploadWithoutFile

__all__ = ["Received", "Upload", "receive_file", "scratch_directory"]

FIELD = b"file"


@dataclass(frozen=True)
class Upload:
    """An upload's body as it streams in, with its content type (multipart/form-data, whose
    boundary splits it): a conversation's and a quick reply's alike."""

    body: AsyncIterator[bytes]
    content_type: str | None


@dataclass
class Received:
    """The file of an upload, spooled to ``path``."""

    path: Path
    file_name: str | None = None
    declared_type: str | None = None
    size: int = 0
    head: bytes = b""


@contextmanager
def scratch_directory() -> Iterator[Path]:
    """A directory of the upload's temporary files, removed with them whatever happens."""
    with tempfile.TemporaryDirectory(prefix="sb-upload-") as directory:
        yield Path(directory)


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: bytes = b""
    value: bytes = b""


class _FileParser:
    """python-multipart's callbacks, keeping the ``file`` part's bytes until they are
    written (the parser is fed one chunk at a time, so at most a chunk is kept)."""

    def __init__(self, boundary: bytes, limit: int, received: Received) -> None:
        self.limit = limit
        self.received = received
        self.pending: list[bytes] = []
        self.found = False
        self.in_file = False
        self.done = False
        self._part = _Part()
        self.parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._begin,
                "on_header_field": self._header_field,
                "on_header_value": self._header_value,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._data,
                "on_part_end": self._end,
                "on_end": self._finished,
            },
        )

    def _begin(self) -> None:
        self._part = _Part()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._part.name += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._part.value += data[start:end]

    def _header_end(self) -> None:
        self._part.headers[self._part.name.lower()] = self._part.value
        self._part.name, self._part.value = b"", b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._part.headers.get(b"content-disposition", b""))
        if self.found or options.get(b"name") != FIELD or b"filename" not in options:
            return
        self.found = self.in_file = True
        self.received.file_name = options[b"filename"].decode("utf-8", "replace")
        declared = self._part.headers.get(b"content-type")
        self.received.declared_type = declared.decode("latin-1") if declared else None

    def _data(self, data: bytes, start: int, end: int) -> None:
        if not self.in_file:
            return
        chunk = data[start:end]
        self.received.size += len(chunk)
        if self.received.size > self.limit:
            raise AttachmentTooLarge(f"the file is larger than the {self.limit} bytes it may be")
        if len(self.received.head) < SNIFF_BYTES:
            self.received.head += chunk[: SNIFF_BYTES - len(self.received.head)]
        self.pending.append(chunk)

    def _end(self) -> None:
        self.in_file = False

    def _finished(self) -> None:
        self.done = True


def _boundary(content_type: str | None) -> bytes:
    kind, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadNotMultipart()
    return boundary


async def receive_file(upload: Upload, *, limit: int, directory: Path) -> Received:
    """The upload's ``file`` part, written to a file of ``directory`` as it streams in."""
    received = Received(path=directory / "upload")
    parser = _FileParser(_boundary(upload.content_type), limit, received)
    file = await asyncio.to_thread(received.path.open, "wb")
    try:
        async for chunk in upload.body:
            try:
                parser.parser.write(chunk)
            except (AttachmentTooLarge, UploadNotMultipart):
                raise
            except Exception as exc:  # the parser's MultipartParseError and its kin
                raise UploadWithoutFile(f"the multipart body does not parse: {exc}") from exc
            if parser.pending:
                await asyncio.to_thread(_write, file, parser.pending)
                parser.pending = []
        parser.parser.finalize()
    finally:
        await asyncio.to_thread(file.close)
    if not parser.done:
        raise UploadWithoutFile("the multipart body ended before its closing boundary")
    if not parser.found:
        raise UploadWithoutFile()
    return received


def _write(file: IO[bytes], chunks: list[bytes]) -> None:
    for chunk in chunks:
        file.write(chunk)
    file.flush()
