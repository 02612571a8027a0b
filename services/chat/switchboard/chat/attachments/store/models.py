"""The table of attachments: a file uploaded into a conversation, then taken by a message."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from switchboard.chat.store.models import Base, new_id

__all__ = ["Attachment"]


class Attachment(Base):
    """``message_id`` is null until a message takes it (an upload nobody sent is removed
    after SB_ATTACHMENT_UNSENT_TTL_SECONDS); ``storage_key`` / ``thumbnail_key`` name its
    objects in the storage."""

    __tablename__ = "attachment"
    __table_args__ = (
        CheckConstraint("kind IN ('image', 'video', 'audio', 'file')", name="kind_known"),
        CheckConstraint("uploader_type IN ('visitor', 'agent')", name="uploader_type_known"),
        Index("ix_attachment_conversation_created", "conversation_id", "created_at", "id"),
        Index("ix_attachment_visitor_created", "visitor_id", "created_at", "id"),
        Index("ix_attachment_message", "message_id"),
        Index("ix_attachment_unsent", "created_at", postgresql_where=text("message_id IS NULL")),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    account_id: Mapped[UUID]
    conversation_id: Mapped[UUID] = mapped_column(ForeignKey("chat.conversation.id"))
    visitor_id: Mapped[UUID]  # the conversation's, for the visitor's list of files
    message_id: Mapped[UUID | None] = mapped_column(ForeignKey("chat.message.id"))
    uploader_type: Mapped[str] = mapped_column(String(16))
    uploader_id: Mapped[UUID]
    kind: Mapped[str] = mapped_column(String(16))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    file_name: Mapped[str] = mapped_column(String(255))
    width: Mapped[int | None]
    height: Mapped[int | None]
    storage_key: Mapped[str] = mapped_column(String(200))
    thumbnail_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
