"""Read models of analytics: daily activity per account."""

from datetime import date
from uuid import UUID

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from switchboard.core.db import declarative_base_for
from switchboard.core.outbox import add_core_tables

Base = declarative_base_for("analytics")
outbox_table, processed_event_table = add_core_tables(Base.metadata)


class DailyActivity(Base):
    __tablename__ = "daily_activity"

    account_id: Mapped[UUID] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    conversations: Mapped[int] = mapped_column(Integer, default=0)
    messages: Mapped[int] = mapped_column(Integer, default=0)
