"""Bodies of the notifications paths."""

from __future__ import annotations

from pydantic import BaseModel, Field

from switchboard.chat.notifications.service.notifications import Listed
from switchboard.contracts.chat import Notification


class NotificationPage(BaseModel):
    """A page of the caller's notifications, newest first."""

    items: list[Notification]
    next_cursor: str | None = None
    unread_count: int = Field(description="The caller's unread notifications, all pages.")

    @classmethod
    def of(cls, listed: Listed) -> NotificationPage:
        return cls(
            items=[Notification.model_validate(row) for row in listed.rows.items],
            next_cursor=listed.rows.next_cursor,
            unread_count=listed.unread_count,
        )


class AllRead(BaseModel):
    read: int = Field(description="How many were unread.")
    unread_count: int = Field(description="0: every notification of the caller is read.")
