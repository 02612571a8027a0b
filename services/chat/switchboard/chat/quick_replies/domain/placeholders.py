"""Placeholders of a quick reply, filled when it is sent: ``{{contact.name}}`` becomes the
conversation's visitor's name.

Rules:

- a placeholder is ``{{ name }}`` (spaces inside the braces do not matter); the names are
  ``PLACEHOLDERS``; any other name is refused when the reply is saved
  (``unknown_placeholder``), so a reply never sends a broken message later;
- ``{{contact.<anything else>}}`` is refused too: a contact's custom attributes come with the
  CRM, and a placeholder that cannot be filled yet is not accepted early;
- braces that do not form a placeholder (``{{``, ``{x}``, ``{{ }}``) are plain text;
- a value that is not known (a visitor without an email) is filled as an empty text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "PLACEHOLDERS",
    "Placeholder",
    "UnknownPlaceholder",
    "fill",
    "placeholders_in",
]


class Placeholder(StrEnum):
    contact_name = "contact.name"
    contact_phone = "contact.phone"
    contact_email = "contact.email"
    agent_name = "agent.name"
    inbox_name = "inbox.name"
    conversation_id = "conversation.id"


PLACEHOLDERS = frozenset(Placeholder)

# What looks like a placeholder: a dotted name between double braces.
_PATTERN = re.compile(r"\{\{ *([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*) *\}\}")


@dataclass(frozen=True)
class UnknownPlaceholder(Exception):
    """A placeholder no conversation can fill: its name, and why in words."""

    name: str

    def __str__(self) -> str:
        if self.name.startswith("contact."):
            return (
                f"unknown placeholder {{{{{self.name}}}}}: a contact's custom attributes are"
                " not available yet; known: " + ", ".join(sorted(PLACEHOLDERS))
            )
        return f"unknown placeholder {{{{{self.name}}}}}; known: " + ", ".join(sorted(PLACEHOLDERS))


def placeholders_in(text: str) -> list[Placeholder]:
    """The placeholders of ``text`` in order of appearance (each once); raises
    ``UnknownPlaceholder`` for the first name that is not one."""
    found: list[Placeholder] = []
    for match in _PATTERN.finditer(text):
        name = match.group(1)
        if name not in PLACEHOLDERS:
            raise UnknownPlaceholder(name)
        placeholder = Placeholder(name)
        if placeholder not in found:
            found.append(placeholder)
    return found


def fill(text: str, values: Mapping[Placeholder, str | None]) -> str:
    """``text`` with each placeholder replaced by its value (a missing one by nothing)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            raise UnknownPlaceholder(name)
        return values.get(Placeholder(name)) or ""

    return _PATTERN.sub(value, text)
