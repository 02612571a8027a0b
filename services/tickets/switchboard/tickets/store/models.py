"""Tables of tickets: contacts (the CRM profile of a visitor)."""

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from sqlalchemy import Index, String, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from switchboard.core.outbox import schema_registry


class Base(DeclarativeBase):
    registry = schema_registry("tickets")
    # Every model maps one table (DeclarativeBase types it as any FromClause).
    __table__: ClassVar[Table]


class Contact(Base):
    __tablename__ = "contact"
    __table_args__ = (
        # The list: one account, newest first, keyset on (created_at, id).
        Index("ix_contact_account_id_created_at_id", "account_id", "created_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    # One contact per visitor: a second visitor.created for the same visitor changes nothing.
    visitor_id: Mapped[UUID] = mapped_column(unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime]
