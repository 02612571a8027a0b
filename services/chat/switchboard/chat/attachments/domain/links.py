"""Signed download links: a path of the public API that works until ``expires`` for whoever
holds it (an ``<img>`` tag sends no bearer), so it is only ever handed to a reader of the
conversation. The signature is an HMAC of the attachment, the variant and the expiry, keyed
from the installation's token secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
from enum import StrEnum
from functools import lru_cache
from typing import Literal
from uuid import UUID

__all__ = ["LinkRefusal", "Variant", "check_link", "link_key", "signature", "signed_path"]

Variant = Literal["content", "thumbnail"]


class LinkRefusal(StrEnum):
    expired = "expired"
    invalid = "invalid"


@lru_cache(maxsize=4)  # derived once: every batch of messages signs with it
def link_key(token_secret: str) -> bytes:
    """The key of links, derived from the token secret (a link is never a token)."""
    return hmac.digest(token_secret.encode(), b"switchboard attachment links", "sha256")


def signature(key: bytes, attachment_id: UUID, variant: Variant, expires: int) -> str:
    message = f"{attachment_id}:{variant}:{expires}".encode()
    digest = hmac.digest(key, message, hashlib.sha256)
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signed_path(key: bytes, attachment_id: UUID, variant: Variant, expires: int) -> str:
    """``/v1/attachments/<id>/<variant>?expires=<unix time>&signature=<HMAC>``."""
    sig = signature(key, attachment_id, variant, expires)
    return f"/v1/attachments/{attachment_id}/{variant}?expires={expires}&signature={sig}"


def check_link(
    key: bytes, attachment_id: UUID, variant: Variant, expires: int, given: str, *, now: float
) -> LinkRefusal | None:
    """None when the link is the one signed and still works."""
    expected = signature(key, attachment_id, variant, expires).encode()
    if not hmac.compare_digest(expected, given.encode("utf-8", "replace")):
        return LinkRefusal.invalid
    if now >= expires:
        return LinkRefusal.expired
    return None
