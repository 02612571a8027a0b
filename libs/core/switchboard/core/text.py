"""Text that may enter the suite: one validated string type for every field, query and path.

PostgreSQL cannot store a NUL character, and a lone surrogate (``"\\ud800"`` in JSON) is not
Unicode at all: either would fail deep in a write as a 500. ``Text`` refuses both where the
request is read, with 422 and the code ``invalid_text``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

__all__ = ["INVALID_TEXT", "Text", "check_text"]

INVALID_TEXT = "invalid_text"


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


Text = Annotated[str, AfterValidator(check_text)]
