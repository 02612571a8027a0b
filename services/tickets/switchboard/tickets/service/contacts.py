"""Use cases of contacts; each owns its transaction."""

from __future__ import annotations

from uuid import UUID

from uuid6 import uuid7

from switchboard.core.events import Envelope, utcnow
from switchboard.core.outbox import first_delivery
from switchboard.core.runtime import Runtime
from switchboard.tickets.domain.contacts import ContactDetails
from switchboard.tickets.store import contacts
from switchboard.tickets.store.models import Contact

__all__ = ["record_visitor"]


def contact_created(contact: Contact) -> Envelope:
    """``contact.created``: internal (empty audience), keyed by the contact."""
    return Envelope(
        type="contact.created",
        account_id=str(contact.account_id),
        source="tickets",
        key=str(contact.id),
        audience=[],
        data={
            "contact_id": str(contact.id),
            "visitor_id": str(contact.visitor_id),
            "name": contact.name,
            "email": contact.email,
            "phone": contact.phone,
        },
    )


async def record_visitor(
    runtime: Runtime,
    *,
    event_id: str,
    account_id: UUID,
    visitor_id: UUID,
    details: ContactDetails,
) -> Contact | None:
    """Make the contact of a new visitor; None when this event or this visitor was seen."""
    assert runtime.processed is not None and runtime.outbox is not None
    async with runtime.unit_of_work() as session:
        if not await first_delivery(session, runtime.processed, event_id):
            return None
        contact = await contacts.add_for_visitor(
            session,
            contact_id=uuid7(),
            account_id=account_id,
            visitor_id=visitor_id,
            details=details,
            created_at=utcnow(),
        )
        if contact is not None:
            await runtime.outbox.add(session, contact_created(contact))
        return contact
