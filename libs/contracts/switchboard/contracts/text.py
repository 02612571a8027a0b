"""Text that may enter the suite: one validated string type for every field, query and path,
of every service's requests and of the payloads of messages (``switchboard.contracts.messages``).

PostgreSQL cannot store a NUL character, and a lone surrogate (``"\\ud800"`` in JSON) is not
Unicode at all: either would fail deep in a write as a 500. ``Text`` refuses both where the
request is read, with 422 and the code ``invalid_text``.

A text with rules of its own is ``Annotated[str, TextRules(...)]``. The rules are checked on
the text as the client sent it and written as one ``pattern``, so the JSON schema states
exactly what is accepted, NUL included (pydantic leaves a pattern that follows a validator out
of the schema, and checks lengths after trimming).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from annotated_types import GroupedMetadata
from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

__all__ = [
    "INVALID_TEXT",
    "SPACE_OR_NUL",
    "WHITE_SPACE",
    "WHITE_SPACE_CLASS",
    "Text",
    "TextRules",
    "check_text",
]

INVALID_TEXT = "invalid_text"
# White space, the same for every regex engine that reads our patterns: JSON Schema's
# (ECMA-262), pydantic's (Rust) and Python's ``\s`` each miss some of these (U+001C-U+001F,
# U+0085, U+FEFF), so patterns name them one by one; ``WHITE_SPACE_CLASS`` goes in ``[...]``.
WHITE_SPACE = (
    "\t\n\v\f\r \x1c\x1d\x1e\x1f\x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
WHITE_SPACE_CLASS = "".join(f"\\u{ord(char):04x}" for char in WHITE_SPACE)
# For a pattern's own ``[^...]``: neither white space nor NUL.
SPACE_OR_NUL = "\\u0000" + WHITE_SPACE_CLASS
_ANY = "[^\\u0000]*"


def check_text(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError(INVALID_TEXT, "text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(
            INVALID_TEXT, "text must be valid Unicode (a lone surrogate is not)"
        ) from None
    return value


def _check_if_text(value: Any) -> Any:
    # Before the rules: they would refuse a lone surrogate with a code of pydantic's own.
    return check_text(value) if isinstance(value, str) else value


def _trimmed(value: str) -> str:
    return value.strip(WHITE_SPACE)


@dataclass(frozen=True)
class TextRules(GroupedMetadata):
    """The rules of a text type, written ``Annotated[str, TextRules(...)]`` (a type mypy reads).

    ``blank=False``: at least one character that is not white space. ``pattern``: anchored
    (``^...$``), its classes leave out NUL (``SPACE_OR_NUL``). ``trim``: surrounding white
    space is accepted (the pattern says so) and removed once the rules passed.
    """

    min_length: int | None = None
    max_length: int | None = None
    blank: bool = True
    pattern: str | None = None
    trim: bool = False

    def __post_init__(self) -> None:
        assert self.blank or self.pattern is None, "a pattern says itself whether it takes blank"

    def __iter__(self) -> Iterator[object]:
        yield StringConstraints(
            strict=True,
            min_length=self.min_length,
            max_length=self.max_length,
            pattern=self._anchored_pattern(),
        )
        yield BeforeValidator(_check_if_text)
        if self.trim:
            yield AfterValidator(_trimmed)

    def _anchored_pattern(self) -> str:
        if self.pattern is None:
            return f"^{_ANY}$" if self.blank else f"^{_ANY}[^{SPACE_OR_NUL}]{_ANY}$"
        if self.trim:
            space = f"[{WHITE_SPACE_CLASS}]*"
            return f"^{space}(?:{self.pattern.removeprefix('^').removesuffix('$')}){space}$"
        return self.pattern


Text = Annotated[str, TextRules()]
