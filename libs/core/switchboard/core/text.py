"""Text that may enter the suite: the rules live in ``switchboard.contracts.text``, where the
payloads of messages (``switchboard.contracts.messages``) use them too; the services import
them from here as before."""

from __future__ import annotations

from switchboard.contracts.text import (
    INVALID_TEXT,
    SPACE_OR_NUL,
    WHITE_SPACE,
    WHITE_SPACE_CLASS,
    Text,
    TextRules,
    check_text,
)

__all__ = [
    "INVALID_TEXT",
    "SPACE_OR_NUL",
    "WHITE_SPACE",
    "WHITE_SPACE_CLASS",
    "Text",
    "TextRules",
    "check_text",
]
