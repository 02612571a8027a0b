"""What a message's content may be."""

from __future__ import annotations

__all__ = ["InvalidContent", "clean_content"]


class InvalidContent(ValueError):
    """The content of a message breaks a rule; the message says which."""


def clean_content(raw: str, *, max_length: int) -> str:
    """``raw`` without surrounding white space; raises ``InvalidContent`` when it is unusable."""
    content = raw.strip()
    if not content:
        raise InvalidContent("content must not be empty")
    if len(content) > max_length:
        raise InvalidContent(f"content is longer than {max_length} characters")
    if "\x00" in content:
        raise InvalidContent("content must not contain NUL characters")
    return content
