"""Values read as their JSON schema says they are written: every service's requests, the
payloads of messages, and ``Timestamp``, the one moment type of requests, reads and events.

pydantic's lax mode takes ``"5"`` for an integer, ``0`` for a boolean and a number of seconds
for a date or a time; its strict mode refuses ``5.0``, which JSON Schema (and JavaScript)
count as the integer 5. Either way the OpenAPI would promise one thing and the code do
another: these types accept exactly what their schema describes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

from annotated_types import GroupedMetadata
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field
from pydantic_core import PydanticCustomError

__all__ = ["Boolean", "Day", "Integer", "IntegerRules", "Timestamp"]

# RFC 3339, as JSON Schema's "date-time" and "date" formats.
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _integral(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _written_like(pattern: re.Pattern[str], kind: str, example: str) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, str) and not pattern.fullmatch(value):
            raise PydanticCustomError(f"{kind}_format", f"write a {kind} as {example}")
        if isinstance(value, int | float):
            raise PydanticCustomError(f"{kind}_type", f"write a {kind} as {example}")
        return value

    return BeforeValidator(check)


@dataclass(frozen=True)
class IntegerRules(GroupedMetadata):
    """A JSON integer (5, or 5.0), never text or a boolean: ``Annotated[int, IntegerRules()]``.

    Bounds given here show in the schema (pydantic names them wrongly when they follow a
    validator)."""

    ge: int | None = None
    le: int | None = None

    def __iter__(self) -> Iterator[object]:
        yield Field(strict=True, ge=self.ge, le=self.le)
        yield BeforeValidator(_integral)


Integer = Annotated[int, IntegerRules()]
# true or false: never 0, 1 or text.
Boolean = Annotated[bool, Field(strict=True)]


def _in_utc(at: datetime) -> datetime:
    try:
        return at.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is before the first day there is
        raise PydanticCustomError("date-time_range", "the date-time is out of range") from None


# An RFC 3339 date-time with its offset: never a number of seconds; kept in UTC (written
# ``2024-05-01T08:30:00.123456Z`` whatever its zone), so one that is no moment there (before
# the year 1, after 9999) is refused where it is read, not by the database driver (a 500).
Timestamp = Annotated[
    AwareDatetime,
    _written_like(_DATE_TIME, "date-time", "2026-01-31T09:30:00Z"),
    AfterValidator(_in_utc),
]
# An RFC 3339 date: never a number of seconds.
Day = Annotated[date, _written_like(_DATE, "date", "2026-01-31")]
