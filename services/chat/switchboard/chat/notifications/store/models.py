"""The table of the notifications feature (on chat's one metadata)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from switchboard.chat.store.models import Base, new_id

_KINDS = "'mention', 'assigned', 'transfer', 'invitation', 'sla_near_breach', 'sla_breached'"


class Notification(Base):
    """What happened that an agent should know: newest first in his list, unread until he
    reads it (``read_at``)."""

    __tablename__ = "notification"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_KINDS})", name="kind_known"),
        Index("ix_notification_agent_created", "account_id", "agent_id", "created_at", "id"),
        Index(
            "ix_notification_agent_unread",
            "account_id",
            "agent_id",
            postgresql_where=text("read_at IS NULL"),
        ),
        # Those of a message, which go with it (a deleted note's mentions).
        Index(
            "ix_notification_message",
            "message_id",
            postgresql_where=text("message_id IS NOT NULL"),
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    account_id: Mapped[UUID]
    agent_id: Mapped[UUID]
    kind: Mapped[str] = mapped_column(String(40))
    conversation_id: Mapped[UUID] = mapped_column(ForeignKey("chat.conversation.id"))
    actor_id: Mapped[UUID | None]
    message_id: Mapped[UUID | None]
    text: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
