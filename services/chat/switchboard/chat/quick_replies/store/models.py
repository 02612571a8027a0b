"""Tables of quick replies (chat's one metadata: ``chat.store.models.Base``)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    CheckConstraint,
    Computed,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from switchboard.chat.store.models import Base, StoredFileColumns, new_id


class CannedResponse(Base):
    """A quick reply: ``/shortcut`` in the composer sends its content, placeholders filled.

    Searched by its shortcut and its title and content folded (``switchboard.core.search``)
    once, when they are written: stored generated columns, so that no search folds a row
    (``unaccent`` is the dearest part of a search), each with its index (a prefix of the
    shortcut, trigrams of the text).
    """

    __tablename__ = "canned_response"
    __table_args__ = (
        CheckConstraint("visibility IN ('account', 'team', 'personal')", name="visibility_known"),
        UniqueConstraint("account_id", "shortcut", name="uq_canned_response_account_shortcut"),
        Index("ix_canned_response_owner", "account_id", "owner_id"),
        Index(
            "ix_canned_response_shortcut_folded",
            "account_id",
            "shortcut_folded",
            postgresql_ops={"shortcut_folded": "text_pattern_ops"},
        ),
        Index(
            "ix_canned_response_text_folded",
            "text_folded",
            postgresql_using="gin",
            postgresql_ops={"text_folded": "gin_trgm_ops"},
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    account_id: Mapped[UUID]
    # Collation "C": replies list by shortcut, and comparing by code points is several times
    # cheaper than by the locale's rules (a search sorts every match).
    shortcut: Mapped[str] = mapped_column(String(32, collation="C"))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[UUID]  # its author: who alone sees a personal one
    shortcut_folded: Mapped[str] = mapped_column(
        Text, Computed("chat.folded(shortcut)", persisted=True)
    )
    text_folded: Mapped[str] = mapped_column(
        Text, Computed("chat.folded(title || ' ' || content)", persisted=True)
    )
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


class CannedResponseAttachment(StoredFileColumns, Base):
    """A file of a quick reply. Its own table, not ``attachment``: a conversation's upload is
    swept when no message takes it, listed with the conversation's files and shown to its
    visitor, and a reply's file is none of these; sending the reply copies it (row and
    objects) into the conversation as an attachment of the message."""

    __tablename__ = "canned_response_attachment"
    __table_args__ = (
        CheckConstraint("kind IN ('image', 'video', 'audio', 'file')", name="kind_known"),
        Index("ix_canned_response_attachment_response", "canned_response_id", "created_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    account_id: Mapped[UUID]
    canned_response_id: Mapped[UUID] = mapped_column(ForeignKey("chat.canned_response.id"))
    uploader_id: Mapped[UUID]
    created_at: Mapped[datetime]
