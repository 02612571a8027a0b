"""Rules of the directory: how an email address is compared."""

from __future__ import annotations

import re

from switchboard.contracts.text import SPACE_OR_NUL, WHITE_SPACE

__all__ = ["EMAIL_MAX_LENGTH", "EMAIL_PATTERN", "normalize_email"]

EMAIL_MAX_LENGTH = 320
# Deliberately loose: one "@", something on each side, a dot in the domain, no spaces.
_PART = f"[^@{SPACE_OR_NUL}]+"
EMAIL_PATTERN = rf"^{_PART}@{_PART}\.{_PART}$"
_EMAIL = re.compile(EMAIL_PATTERN)


def normalize_email(email: str) -> str:
    """The form an address is stored and compared in: trimmed and lower-cased.

    Raises ``ValueError`` when it does not look like an address.
    """
    normalized = email.strip(WHITE_SPACE).lower()
    if not _EMAIL.match(normalized) or len(normalized) > EMAIL_MAX_LENGTH:
        raise ValueError("not an email address")
    return normalized
