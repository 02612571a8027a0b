"""What a file may be: its type is read from its first bytes (never its name), against one
allow-list that also says its kind; images get a thumbnail of a bounded size."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote

import filetype

from switchboard.contracts.values import AttachmentKind

__all__ = [
    "ALLOWED",
    "SNIFF_BYTES",
    "THUMBNAIL_BOX",
    "FileRefusal",
    "Sniffed",
    "clean_file_name",
    "content_disposition",
    "sniff",
    "thumbnail_size",
]

# Enough of the head for every signature of the allow-list (office documents are zip files
# told apart by the names of their first entries).
SNIFF_BYTES = 8192
THUMBNAIL_BOX = 320  # a thumbnail's longest side, in pixels
FILE_NAME_MAX = 255

# The content types taken, as detected, with the kind a front end shows.
ALLOWED: dict[str, AttachmentKind] = {
    "image/jpeg": "image",
    "image/png": "image",
    "image/gif": "image",
    "image/webp": "image",
    "video/mp4": "video",
    "video/webm": "video",
    "video/quicktime": "video",
    "audio/mpeg": "audio",
    "audio/ogg": "audio",
    "audio/wav": "audio",
    "audio/webm": "audio",
    "audio/mp4": "audio",
    "application/pdf": "file",
    "application/zip": "file",
    "text/plain": "file",
    "application/msword": "file",
    "application/vnd.ms-excel": "file",
    "application/vnd.ms-powerpoint": "file",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "file",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "file",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "file",
    "application/vnd.oasis.opendocument.text": "file",
    "application/vnd.oasis.opendocument.spreadsheet": "file",
    "application/vnd.oasis.opendocument.presentation": "file",
}
# The detector's names for types the allow-list calls otherwise.
_SYNONYMS = {"audio/x-wav": "audio/wav"}
# One container holds sound alone or a film: the declared type chooses, the content must
# still be that container.
_AUDIO_OF_VIDEO = {"video/webm": "audio/webm", "video/mp4": "audio/mp4"}
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class FileRefusal(StrEnum):
    type_not_allowed = "type_not_allowed"


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    kind: AttachmentKind


def sniff(head: bytes, *, declared: str | None) -> Sniffed | FileRefusal:
    """The type of a file from its first bytes (``SNIFF_BYTES`` of them, or all of a shorter
    file); ``declared`` (the client's content type) only tells audio from video in a container
    of both. Text without a signature is plain text when it is UTF-8 without control bytes."""
    guess = filetype.guess_mime(head)
    if guess is None:
        return Sniffed("text/plain", "file") if _is_text(head) else FileRefusal.type_not_allowed
    content_type = _SYNONYMS.get(guess, guess)
    declared_type = (declared or "").split(";")[0].strip().lower()
    if _AUDIO_OF_VIDEO.get(content_type) == declared_type:
        content_type = declared_type
    kind = ALLOWED.get(content_type)
    if kind is None:
        return FileRefusal.type_not_allowed
    return Sniffed(content_type, kind)


def _is_text(head: bytes) -> bool:
    if not head:
        return False
    # The head may end inside a character: at most three bytes of it are cut off.
    for cut in range(4):
        try:
            text = head[: len(head) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return not _TEXT_CONTROLS.search(text)
    return False


def thumbnail_size(width: int, height: int, *, box: int = THUMBNAIL_BOX) -> tuple[int, int]:
    """The size of an image's thumbnail: within ``box`` a side, its proportions kept, never
    larger than the image."""
    longest = max(width, height, 1)
    if longest <= box:
        return max(width, 1), max(height, 1)
    scale = box / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def clean_file_name(raw: str | None) -> str:
    """The name to show: its last path part, without control characters, at most 255
    characters; ``file`` when nothing is left."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    name = name[:FILE_NAME_MAX].strip()
    return name if name not in ("", ".", "..") else "file"


def content_disposition(kind: AttachmentKind, file_name: str) -> str:
    """Images, video and sound play in the page; other files are downloaded."""
    how = "attachment" if kind == "file" else "inline"
    ascii_name = file_name.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"{how}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name, safe='')}"


# A thumbnail's type, by the ending of its key.
THUMBNAIL_TYPES = {".png": "image/png", ".jpg": "image/jpeg"}


def thumbnail_type(key: str) -> str:
    return next((t for end, t in THUMBNAIL_TYPES.items() if key.endswith(end)), "image/jpeg")
