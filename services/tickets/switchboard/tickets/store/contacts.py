"""Queries of contacts."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.pagination import PageQuery, keyset
from switchboard.tickets.domain.contacts import ContactDetails
from switchboard.tickets.store.models import Contact


async def add_for_visitor(
    session: AsyncSession,
    *,
    contact_id: UUID,
    account_id: UUID,
    visitor_id: UUID,
    details: ContactDetails,
    created_at: datetime,
) -> Contact | None:
    """The new contact of ``visitor_id``; None when the visitor has one already."""
    statement = (
        insert(Contact)
        .values(
            id=contact_id,
            account_id=account_id,
            visitor_id=visitor_id,
            name=details.name,
            email=details.email,
            phone=details.phone,
            created_at=created_at,
        )
        .on_conflict_do_nothing(index_elements=[Contact.visitor_id])
        .returning(Contact)
    )
    contact: Contact | None = await session.scalar(statement)
    return contact


async def get(session: AsyncSession, account_id: UUID, contact_id: UUID) -> Contact | None:
    contact: Contact | None = await session.scalar(
        select(Contact).where(Contact.account_id == account_id, Contact.id == contact_id)
    )
    return contact


def listed(account_id: UUID, page: PageQuery, *, pattern: str | None) -> Select[Contact]:
    """A page of the account's contacts (``pattern``: matching name, email or phone), newest
    first."""
    statement = select(Contact).where(Contact.account_id == account_id)
    if pattern is not None:
        statement = statement.where(
            or_(
                Contact.name.ilike(pattern),
                Contact.email.ilike(pattern),
                Contact.phone.ilike(pattern),
            )
        )
    return keyset(statement, Contact.created_at, Contact.id, page)
