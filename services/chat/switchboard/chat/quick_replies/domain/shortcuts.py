"""What a quick reply's shortcut may be: the word after "/" in the composer.

A shortcut is one word of letters (accents allowed), digits, ``_``, ``-`` or ``.``, at most
``SHORTCUT_MAX_LENGTH`` characters, unique in the account whatever its case: it is kept in
lower case (``Chao`` and ``chao`` are one shortcut), letter by letter, so it stays a shortcut:
a letter whose lower case is more than one character (Turkish ``İ`` is ``i`` and a combining
dot) is kept as written.
"""

from __future__ import annotations

__all__ = ["SHORTCUT_MAX_LENGTH", "SHORTCUT_PATTERN", "shortcut_of"]

SHORTCUT_MAX_LENGTH = 32
# No white space, no "/" and none of the characters JSON Schema's and Python's regexes read
# differently: named one by one (a negated class of what may not appear would need them all).
SHORTCUT_PATTERN = r"^[0-9A-Za-z_.\-\u00c0-\u024f\u1e00-\u1eff]+$"


def shortcut_of(raw: str) -> str:
    """The shortcut as it is stored and compared: as long as it was written."""
    return "".join(_lower(letter) for letter in raw.strip())


def _lower(letter: str) -> str:
    lower = letter.lower()
    return lower if len(lower) == 1 else letter
