"""Bodies of the notifications paths."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from switchboard.chat.notifications.domain.kinds import NotificationKind
from switchboard.chat.notifications.service.notifications import Listed


class NotificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    kind: NotificationKind = Field(
        description="mention | assigned | transfer | invitation | sla_near_breach | sla_breached"
    )
    conversation_id: UUID
    actor_id: UUID | None = Field(description="Who caused it (null: routing, or the clock).")
    message_id: UUID | None = Field(description="The note that mentioned him (a mention).")
    text: str = Field(description="What happened, in words to show as they are.")
    created_at: datetime
    read_at: datetime | None = Field(description="Null while unread.")


class NotificationPage(BaseModel):
    """A page of the caller's notifications, newest first."""

    items: list[NotificationRead]
    next_cursor: str | None = None
    unread_count: int = Field(description="The caller's unread notifications, all pages.")

    @classmethod
    def of(cls, listed: Listed) -> NotificationPage:
        return cls(
            items=[NotificationRead.model_validate(row) for row in listed.rows.items],
            next_cursor=listed.rows.next_cursor,
            unread_count=listed.unread_count,
        )


class AllRead(BaseModel):
    read: int = Field(description="How many were unread.")
    unread_count: int = Field(description="0: every notification of the caller is read.")
