"""Tables of routing: the directory (accounts, agents, memberships) and the routing state."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from switchboard.core.db import declarative_base_for
from switchboard.core.outbox import add_core_tables

Base = declarative_base_for("routing")
outbox_table, processed_event_table = add_core_tables(Base.metadata)


class Account(Base):
    __tablename__ = "account"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class Agent(Base):
    __tablename__ = "agent"
    __table_args__ = (
        CheckConstraint("role IN ('agent', 'supervisor', 'admin')", name="role"),
        CheckConstraint("status IN ('online', 'busy', 'offline')", name="status"),
        Index("ix_agent_account_id_created_at_id", "account_id", "created_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    # Stored lower-cased: one address is one agent across every account.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), server_default=text("'offline'"))
    accept_auto_assign: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    # Projection of the gateway's presence.changed; presence_at orders late deliveries.
    connected: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    presence_at: Mapped[datetime | None]
    last_assigned_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Inbox(Base):
    """Projection of chat's inboxes (``inbox.created``), enough to check membership."""

    __tablename__ = "inbox"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    # No foreign key: chat's events are projected even before the account is known here.
    account_id: Mapped[UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))


class InboxMember(Base):
    __tablename__ = "inbox_member"
    __table_args__ = (
        Index("ix_inbox_member_inbox_id_added_at_agent_id", "inbox_id", "added_at", "agent_id"),
        Index("ix_inbox_member_agent_id", "agent_id"),
    )

    inbox_id: Mapped[UUID] = mapped_column(
        ForeignKey("inbox.id", ondelete="CASCADE"), primary_key=True
    )
    agent_id: Mapped[UUID] = mapped_column(
        ForeignKey("agent.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[UUID]
    added_at: Mapped[datetime]


class QueuedConversation(Base):
    """A conversation waiting for an eligible agent."""

    __tablename__ = "queued_conversation"
    __table_args__ = (Index("ix_queued_conversation_inbox_id_queued_at", "inbox_id", "queued_at"),)

    conversation_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    inbox_id: Mapped[UUID]
    queued_at: Mapped[datetime]


class Assignment(Base):
    __tablename__ = "assignment"
    __table_args__ = (Index("ix_assignment_agent_id", "agent_id"),)

    conversation_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    inbox_id: Mapped[UUID]
    agent_id: Mapped[UUID]
    assigned_at: Mapped[datetime]


class RefreshToken(Base):
    __tablename__ = "refresh_token"
    __table_args__ = (Index("ix_refresh_token_agent_id", "agent_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the token's jti
    agent_id: Mapped[UUID] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
