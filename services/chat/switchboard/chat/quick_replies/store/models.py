"""Tables of quick replies (chat's one metadata: ``chat.store.models.Base``)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from switchboard.chat.store.models import Base, new_id


class CannedResponse(Base):
    """A quick reply: ``/shortcut`` in the composer sends its content, placeholders filled.

    Searched by its folded shortcut (``ix_canned_response_shortcut_folded``, for a prefix) and
    its folded title and content (``ix_canned_response_text_folded``, trigrams): indexes that
    the migration writes, see ``store/responses.py``.
    """

    __tablename__ = "canned_response"
    __table_args__ = (
        CheckConstraint("visibility IN ('account', 'team', 'personal')", name="visibility_known"),
        UniqueConstraint("account_id", "shortcut", name="uq_canned_response_account_shortcut"),
        Index("ix_canned_response_owner", "account_id", "owner_id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    account_id: Mapped[UUID]
    shortcut: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[UUID]  # its author: who alone sees a personal one
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CannedResponseTeam(Base):
    """A team that sees a team-wide quick reply."""

    __tablename__ = "canned_response_team"
    __table_args__ = (Index("ix_canned_response_team_team", "team_id", "canned_response_id"),)

    canned_response_id: Mapped[UUID] = mapped_column(
        ForeignKey("chat.canned_response.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
