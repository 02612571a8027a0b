"""Rules of the directory: how an email address is compared."""

from __future__ import annotations

import re

__all__ = ["EMAIL_PATTERN", "normalize_email"]

# Deliberately loose: one "@", something on each side, a dot in the domain, no spaces.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_EMAIL = re.compile(EMAIL_PATTERN)


def normalize_email(email: str) -> str:
    """The form an address is stored and compared in: trimmed and lower-cased.

    Raises ``ValueError`` when it does not look like an address.
    """
    normalized = email.strip().lower()
    if not _EMAIL.match(normalized):
        raise ValueError("not an email address")
    return normalized
