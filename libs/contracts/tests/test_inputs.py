"""Request values are read as their JSON schema says they are written."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

import pytest
from pydantic import TypeAdapter, ValidationError

from switchboard.contracts.inputs import Boolean, Day, IntegerRules, Timestamp

Capacity = Annotated[int, IntegerRules(ge=0, le=1000)]


@pytest.mark.parametrize(("sent", "read"), [(5, 5), (5.0, 5), (1000, 1000)])
def test_an_integer_is_any_json_integer(sent: Any, read: int) -> None:
    assert TypeAdapter(Capacity).validate_python(sent) == read


@pytest.mark.parametrize("sent", ["5", 5.5, True, 1001, -1, float("nan")])
def test_an_integer_is_never_text_a_fraction_a_boolean_or_out_of_bounds(sent: Any) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Capacity).validate_python(sent)


def test_an_integers_bounds_are_in_its_schema() -> None:
    schema = TypeAdapter(Capacity).json_schema()
    assert (schema["type"], schema["minimum"], schema["maximum"]) == ("integer", 0, 1000)


@pytest.mark.parametrize("sent", [0, 1, "true", "yes"])
def test_a_boolean_is_only_true_or_false(sent: Any) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Boolean).validate_python(sent)


def test_times_and_days_are_rfc_3339_text() -> None:
    at = TypeAdapter(Timestamp).validate_python("2026-01-31T09:30:00Z")
    assert at == datetime(2026, 1, 31, 9, 30, tzinfo=UTC)
    assert TypeAdapter(Day).validate_python("2026-01-31") == date(2026, 1, 31)
    for kind, sent in [
        (Timestamp, 1_700_000_000),
        (Timestamp, "1700000000"),
        (Timestamp, "2026-01-31"),
        (Timestamp, "2026-01-31T09:30:00"),  # no offset: not a moment
        (Day, 0),
        (Day, "0"),
        (Day, "2026-01-31T00:00:00Z"),
    ]:
        with pytest.raises(ValidationError):
            TypeAdapter(kind).validate_python(sent)
