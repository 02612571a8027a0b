"""The events tickets publishes: contacts."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from switchboard.contracts.event import Event

__all__ = ["ContactCreated"]


class TicketsEvent(Event):
    source: ClassVar[str] = "tickets"


class ContactCreated(TicketsEvent):
    """A new visitor became a contact of the CRM."""

    type: ClassVar[str] = "contact.created"
    ordered_by: ClassVar[str] = "contact id"

    contact_id: UUID
    visitor_id: UUID
    name: str | None
    email: str | None
    phone: str | None
