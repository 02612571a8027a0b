"""What a contact holds and how agents search for one: pure rules, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["MAX_LENGTHS", "ContactDetails", "details_from", "search_pattern"]

# The column widths of the contact table: a longer value is cut, never refused, so one odd
# visitor cannot block the stream.
MAX_LENGTHS = {"name": 200, "email": 320, "phone": 50}


@dataclass(frozen=True)
class ContactDetails:
    name: str | None = None
    email: str | None = None
    phone: str | None = None


def _clean(value: object, field: str) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())  # trims and folds runs of whitespace
    return text[: MAX_LENGTHS[field]] or None


def details_from(data: Mapping[str, object]) -> ContactDetails:
    """The name, email and phone of a visitor, blanks as None and the email lower-cased."""
    email = _clean(data.get("email"), "email")
    return ContactDetails(
        name=_clean(data.get("name"), "name"),
        email=email.lower() if email else None,
        phone=_clean(data.get("phone"), "phone"),
    )


def search_pattern(query: str | None) -> str | None:
    """An ILIKE pattern finding ``query`` anywhere (``%``, ``_`` and ``\\`` taken literally),
    or None when there is nothing to search for."""
    text = " ".join((query or "").split())
    if not text:
        return None
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
