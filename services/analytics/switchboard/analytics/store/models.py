"""Read models of analytics: daily activity per account."""

from datetime import date
from typing import ClassVar
from uuid import UUID

from sqlalchemy import Integer, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from switchboard.core.db import column_types, schema_metadata
from switchboard.core.outbox import add_core_tables


class Base(DeclarativeBase):
    metadata = schema_metadata("analytics")
    type_annotation_map = column_types
    # Every model maps one table (DeclarativeBase types it as any FromClause).
    __table__: ClassVar[Table]


outbox_table, processed_event_table = add_core_tables(Base.metadata)


class DailyActivity(Base):
    __tablename__ = "daily_activity"

    account_id: Mapped[UUID] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    conversations: Mapped[int] = mapped_column(Integer, default=0)
    messages: Mapped[int] = mapped_column(Integer, default=0)
