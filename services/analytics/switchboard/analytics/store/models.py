"""Read models of analytics: daily activity per account."""

from datetime import date
from typing import ClassVar
from uuid import UUID

from sqlalchemy import Integer, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from switchboard.core.outbox import schema_registry


class Base(DeclarativeBase):
    registry = schema_registry("analytics")
    # Every model maps one table (DeclarativeBase types it as any FromClause).
    __table__: ClassVar[Table]


class DailyActivity(Base):
    __tablename__ = "daily_activity"

    account_id: Mapped[UUID] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    conversations: Mapped[int] = mapped_column(Integer, default=0)
    messages: Mapped[int] = mapped_column(Integer, default=0)
