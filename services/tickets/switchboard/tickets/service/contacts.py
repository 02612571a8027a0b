"""Use cases of contacts; each owns its transaction."""

from __future__ import annotations

from uuid import UUID

from uuid6 import uuid7

from switchboard.contracts.chat import VisitorCreated
from switchboard.contracts.tickets import ContactCreated
from switchboard.core.events import Delivery, Envelope, utcnow
from switchboard.core.pagination import PageQuery, Rows, split_page
from switchboard.core.runtime import DatabaseRuntime
from switchboard.tickets.domain.contacts import details_from, search_pattern
from switchboard.tickets.errors import ContactNotFound
from switchboard.tickets.store import contacts
from switchboard.tickets.store.models import Contact

__all__ = ["get_contact", "list_contacts", "record_visitor"]


def contact_created(contact: Contact) -> Envelope:
    """``contact.created``: internal (empty audience), keyed by the contact."""
    payload = ContactCreated(
        contact_id=contact.id,
        visitor_id=contact.visitor_id,
        name=contact.name,
        email=contact.email,
        phone=contact.phone,
    )
    return Envelope.of(payload, account_id=contact.account_id, key=contact.id)


async def record_visitor(
    runtime: DatabaseRuntime, event: Delivery[VisitorCreated]
) -> Contact | None:
    """Make the contact of a new visitor; None when this visitor has one already."""
    visitor = event.data
    async with runtime.work(handling=event) as work:
        session = work.session
        contact = await contacts.add_for_visitor(
            session,
            contact_id=uuid7(),
            account_id=event.account_id,
            visitor_id=visitor.visitor_id,
            details=details_from(dict(visitor)),
            created_at=utcnow(),
        )
        if contact is not None:
            await work.publish(contact_created(contact))
        return contact


async def list_contacts(
    runtime: DatabaseRuntime, *, account_id: UUID, page: PageQuery, query: str | None
) -> Rows[Contact]:
    """A page of the account's contacts, newest first; ``query`` searches name, email and
    phone. Returns the contacts and the cursor of the next page."""
    statement = contacts.listed(account_id, page, pattern=search_pattern(query))
    async with runtime.db.session() as session:
        rows = list(await session.scalars(statement))
    return split_page(rows, page, lambda contact: (contact.created_at, contact.id))


async def get_contact(runtime: DatabaseRuntime, *, account_id: UUID, contact_id: UUID) -> Contact:
    async with runtime.db.session() as session:
        contact = await contacts.get(session, account_id, contact_id)
    if contact is None:
        raise ContactNotFound()
    return contact
