"""Queries of contacts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.pagination import decode_cursor, encode_cursor
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


def page(
    account_id: UUID, *, cursor: str | None, limit: int, pattern: str | None
) -> Select[Contact]:
    """Newest first after ``cursor``, one row more than ``limit`` to tell if more follow."""
    statement = select(Contact).where(Contact.account_id == account_id)
    if pattern is not None:
        statement = statement.where(
            or_(
                Contact.name.ilike(pattern),
                Contact.email.ilike(pattern),
                Contact.phone.ilike(pattern),
            )
        )
    if cursor is not None:
        position = decode_cursor(cursor)
        statement = statement.where(
            tuple_(Contact.created_at, Contact.id) < tuple_(position.at, position.id)
        )
    return statement.order_by(Contact.created_at.desc(), Contact.id.desc()).limit(limit + 1)


def split_page(rows: Sequence[Contact], limit: int) -> tuple[list[Contact], str | None]:
    """The contacts of the page and the cursor of the next one (None on the last page)."""
    items = list(rows[:limit])
    if len(rows) <= limit:
        return items, None
    return items, encode_cursor(items[-1].created_at, items[-1].id)
