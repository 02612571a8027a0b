"""Text no database can keep is refused where it enters: a NUL, a lone surrogate."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from switchboard.core.text import INVALID_TEXT, Text


class Body(BaseModel):
    name: Text
    note: Text | None = None


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "a\ud800b", "\udfff"])
def test_unkeepable_text_is_refused_with_its_code(value: str) -> None:
    for fields in ({"name": value}, {"name": "ok", "note": value}):
        with pytest.raises(ValidationError) as refused:
            Body.model_validate(fields)
        assert refused.value.errors()[0]["type"] == INVALID_TEXT


@pytest.mark.parametrize("value", ["", "Huyền", "emoji 👋", "tab\tand\nnewline", "\u200b"])
def test_ordinary_text_passes_unchanged(value: str) -> None:
    assert Body.model_validate({"name": value}).name == value
