"""Text no database can keep is refused where it enters: a NUL, a lone surrogate."""

from __future__ import annotations

import re
from typing import Annotated

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from switchboard.contracts.text import INVALID_TEXT, Text, TextRules


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


Name = Annotated[str, TextRules(max_length=10, blank=False, trim=True)]


@pytest.mark.parametrize(
    ("sent", "kept"), [("Huyền", "Huyền"), ("  Lan \t", "Lan"), ("\ufeffMinh\u3000", "Minh")]
)
def test_a_trimmed_text_keeps_what_is_inside_the_white_space(sent: str, kept: str) -> None:
    assert TypeAdapter(Name).validate_python(sent) == kept


@pytest.mark.parametrize("sent", ["", "   ", "\x1c\u3000", "eleven char", "a\x00"])
def test_a_text_breaking_its_rules_is_refused(sent: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Name).validate_python(sent)


def test_the_schema_states_every_rule_a_text_is_checked_against() -> None:
    schema = TypeAdapter(Name).json_schema()
    assert schema["maxLength"] == 10
    pattern = re.compile(schema["pattern"])
    for accepted in ("Lan", " Lan ", "x"):
        assert pattern.search(accepted)
    for refused in ("", " \u2003 ", "a\x00b"):
        assert not pattern.search(refused)
    assert TypeAdapter(Text).json_schema()["pattern"] == "^[^\\u0000]*$"
