"""The pure rules of attachments: types from content, thumbnails' size, file names, links."""

from __future__ import annotations

import uuid

import pytest

from switchboard.chat.attachments.domain.files import (
    FileRefusal,
    Sniffed,
    clean_file_name,
    content_disposition,
    sniff,
    thumbnail_size,
)
from switchboard.chat.attachments.domain.links import LinkRefusal, check_link, link_key, signature

from .attachments_kit import EXECUTABLE, ogg_voice_note, png

# An EBML header whose doc type is webm.
WEBM = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04"
    b"\x42\xf3\x81\x08\x42\x82\x84webm"
)


@pytest.mark.parametrize(
    ("head", "declared", "expected"),
    [
        (png(8, 8), "application/pdf", Sniffed("image/png", "image")),
        (b"%PDF-1.7\n%...", "image/png", Sniffed("application/pdf", "file")),
        (ogg_voice_note(), None, Sniffed("audio/ogg", "audio")),
        (WEBM, "audio/webm;codecs=opus", Sniffed("audio/webm", "audio")),
        (WEBM, "video/webm", Sniffed("video/webm", "video")),
        (WEBM, "image/png", Sniffed("video/webm", "video")),
        ("chào bạn\n".encode(), None, Sniffed("text/plain", "file")),
        ("chào".encode()[:-1], None, Sniffed("text/plain", "file")),  # cut in a character
    ],
)
def test_the_type_comes_from_the_content(
    head: bytes, declared: str | None, expected: Sniffed
) -> None:
    assert sniff(head, declared=declared) == expected


@pytest.mark.parametrize(
    "head",
    [
        EXECUTABLE,
        b"\x7fELF\x02\x01\x01" + bytes(60),
        b"",
        b"\x00\x01binary\x02",
        b"BM" + bytes(60),
    ],
)
def test_what_is_not_on_the_list_is_refused(head: bytes) -> None:
    assert sniff(head, declared="image/png") is FileRefusal.type_not_allowed


@pytest.mark.parametrize(
    ("size", "thumbnail"),
    [
        ((1600, 900), (320, 180)),
        ((900, 1600), (180, 320)),
        ((100, 40), (100, 40)),
        ((5000, 1), (320, 1)),
    ],
)
def test_a_thumbnail_fits_320_a_side_and_is_never_larger(
    size: tuple[int, int], thumbnail: tuple[int, int]
) -> None:
    assert thumbnail_size(*size) == thumbnail


def test_file_names_lose_their_paths_and_controls() -> None:
    assert clean_file_name("C:\\Users\\me\\photo.png") == "photo.png"
    assert clean_file_name("../../etc/passwd") == "passwd"
    assert clean_file_name("a\x00b\nc.txt") == "abc.txt"
    assert clean_file_name("") == clean_file_name("..") == "file"
    assert len(clean_file_name("x" * 400)) == 255
    assert content_disposition("image", "ảnh.png").startswith('inline; filename="')
    assert "filename*=UTF-8''%E1%BA%A3nh.png" in content_disposition("file", "ảnh.png")


def test_a_link_works_until_it_expires_and_only_as_signed() -> None:
    key, attachment = link_key("a secret of this installation"), uuid.uuid4()
    sig = signature(key, attachment, "content", 1000)
    assert check_link(key, attachment, "content", 1000, sig, now=999.0) is None
    assert check_link(key, attachment, "content", 1000, sig, now=1000.0) is LinkRefusal.expired
    assert check_link(key, attachment, "content", 1001, sig, now=0) is LinkRefusal.invalid
    assert check_link(key, attachment, "thumbnail", 1000, sig, now=0) is LinkRefusal.invalid
    assert check_link(key, uuid.uuid4(), "content", 1000, sig, now=0) is LinkRefusal.invalid
    assert check_link(key, attachment, "content", 1000, "ça", now=0) is LinkRefusal.invalid
    other = link_key("another installation")
    assert check_link(other, attachment, "content", 1000, sig, now=0) is LinkRefusal.invalid
