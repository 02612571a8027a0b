"""Tables of chat: inboxes, visitors, conversations, messages, participants, and the agent
and team projections."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Table, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from uuid6 import uuid7

from switchboard.core.outbox import schema_registry


class Base(DeclarativeBase):
    registry = schema_registry("chat")
    # Every model maps one table (DeclarativeBase types it as any FromClause).
    __table__: ClassVar[Table]


def new_id() -> UUID:
    """A time-ordered id (UUIDv7)."""
    return UUID(int=uuid7().int)


class Inbox(Base):
    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_account_created", "account_id", "created_at", "id"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    account_id: Mapped[UUID]
    name: Mapped[str] = mapped_column(String(200))
    widget_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


class Visitor(Base):
    """Searched by name, email and phone folded as one text (``ix_visitor_contact_folded``,
    written by the migration: see ``store/search.py``)."""

    __tablename__ = "visitor"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    account_id: Mapped[UUID] = mapped_column(index=True)
    inbox_id: Mapped[UUID] = mapped_column(ForeignKey("chat.inbox.id"))
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime]
    # Raised when the visitor's tokens must stop working (see switchboard.core.sessions).
    session_version: Mapped[int] = mapped_column(server_default=text("0"))
    session_changed_at: Mapped[datetime | None] = mapped_column(index=True)


class Conversation(Base):
    """``last_activity_at`` (creation, then each message) orders every conversation list."""

    __tablename__ = "conversation"
    __table_args__ = (
        CheckConstraint(
            "status IN ('open', 'pending', 'snoozed', 'resolved')", name="status_known"
        ),
        CheckConstraint(
            "(status = 'snoozed') = (snoozed_until IS NOT NULL)", name="snooze_has_time"
        ),
        Index("ix_conversation_account_activity", "account_id", "last_activity_at", "id"),
        Index(
            "ix_conversation_account_status_activity",
            "account_id",
            "status",
            "last_activity_at",
            "id",
        ),
        Index(
            "ix_conversation_account_assignee_activity",
            "account_id",
            "assignee_id",
            "last_activity_at",
            "id",
        ),
        Index(
            "ix_conversation_account_inbox_activity",
            "account_id",
            "inbox_id",
            "last_activity_at",
            "id",
        ),
        Index("ix_conversation_visitor_activity", "visitor_id", "last_activity_at", "id"),
        Index(
            "ix_conversation_snoozed_until",
            "snoozed_until",
            postgresql_where=text("status = 'snoozed'"),
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    account_id: Mapped[UUID]
    inbox_id: Mapped[UUID] = mapped_column(ForeignKey("chat.inbox.id"))
    visitor_id: Mapped[UUID] = mapped_column(ForeignKey("chat.visitor.id"))
    status: Mapped[str] = mapped_column(String(16))
    snoozed_until: Mapped[datetime | None]
    assignee_id: Mapped[UUID | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_message_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime]


class Message(Base):
    """Searched by its folded content (``ix_message_content_folded``, a trigram index that the
    migration writes: see ``store/search.py``)."""

    __tablename__ = "message"
    __table_args__ = (
        CheckConstraint("sender_type IN ('visitor', 'agent', 'system')", name="sender_type_known"),
        Index("ix_message_conversation_created", "conversation_id", "created_at", "id"),
        Index(
            "uq_message_client_message_id",
            "conversation_id",
            "sender_id",
            "client_message_id",
            unique=True,
            postgresql_where=text("client_message_id IS NOT NULL"),
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    account_id: Mapped[UUID]
    conversation_id: Mapped[UUID] = mapped_column(ForeignKey("chat.conversation.id"))
    sender_type: Mapped[str] = mapped_column(String(16))
    sender_id: Mapped[UUID | None]
    content: Mapped[str] = mapped_column(Text)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    client_message_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]


class _Named:
    """What chat keeps of a thing of routing's: enough to show its name."""

    id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime]


class Agent(_Named, Base):
    """Projection of routing's agents (``agent.created``), with their email."""

    __tablename__ = "agent"

    email: Mapped[str | None] = mapped_column(String(320))


class ConversationParticipant(Base):
    """An agent who helps (``participant``) or silently watches (``monitor``) a conversation.

    Routing owns participants; chat keeps them (``participant.added`` / ``.removed``) to widen
    the audience of the conversation's events. One row per agent: the latest kind wins.
    """

    __tablename__ = "conversation_participant"
    __table_args__ = (
        CheckConstraint("kind IN ('participant', 'monitor')", name="kind_known"),
        Index(
            "ix_conversation_participant_account_agent",
            "account_id",
            "agent_id",
            "conversation_id",
        ),
    )

    conversation_id: Mapped[UUID] = mapped_column(
        ForeignKey("chat.conversation.id"), primary_key=True
    )
    agent_id: Mapped[UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[UUID]
    joined_at: Mapped[datetime]


class Team(_Named, Base):
    """Projection of routing's teams (``team.created``)."""

    __tablename__ = "team"


class InboxMember(Base):
    """Projection of routing's inbox memberships (``inbox.member_added`` / ``_removed``): an
    agent sees the conversations of the inboxes he is a member of."""

    __tablename__ = "inbox_member"
    __table_args__ = (Index("ix_inbox_member_agent", "agent_id", "inbox_id"),)

    inbox_id: Mapped[UUID] = mapped_column(primary_key=True)
    agent_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]


class ConversationInvitation(Base):
    """Projection of routing's pending invitations (``invitation.*``): an invited agent may
    read the conversation before he answers."""

    __tablename__ = "conversation_invitation"

    conversation_id: Mapped[UUID] = mapped_column(primary_key=True)
    agent_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]


class TeamMember(Base):
    """Projection of routing's team memberships (``team.member_added`` / ``_removed``): an
    agent sees the quick replies of his teams."""

    __tablename__ = "team_member"
    __table_args__ = (Index("ix_team_member_agent", "agent_id", "team_id"),)

    team_id: Mapped[UUID] = mapped_column(primary_key=True)
    agent_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
