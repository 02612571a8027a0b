"""Tables of routing: the directory (accounts, agents, memberships) and the routing state."""

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from switchboard.core.outbox import schema_registry


class Base(DeclarativeBase):
    registry = schema_registry("routing")
    # Every model maps one table (DeclarativeBase types it as any FromClause).
    __table__: ClassVar[Table]


class Account(Base):
    __tablename__ = "account"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    # Routing settings of the account (PATCH /v1/accounts/current).
    default_capacity: Mapped[int] = mapped_column(Integer, server_default=text("5"))
    offer_timeout_seconds: Mapped[int] = mapped_column(Integer, server_default=text("60"))
    transfer_timeout_seconds: Mapped[int] = mapped_column(Integer, server_default=text("120"))


class Agent(Base):
    __tablename__ = "agent"
    __table_args__ = (
        CheckConstraint("role IN ('agent', 'supervisor', 'admin')", name="role"),
        CheckConstraint("status IN ('online', 'busy', 'offline')", name="status"),
        Index("ix_agent_account_id_created_at_id", "account_id", "created_at", "id"),
        Index(
            "ix_agent_session_changed_at",
            "session_changed_at",
            postgresql_where=text("session_changed_at IS NOT NULL"),
        ),
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
    # None: the account's default capacity.
    capacity: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    # A deactivated agent cannot log in, and his tokens stop working at once.
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    # Raised when a token issued before must stop working (role, password, deactivation);
    # see switchboard.core.sessions. session_changed_at: when, to republish recent ones.
    session_version: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    session_changed_at: Mapped[datetime | None]
    # The agent's own profile (PATCH /v1/me): chat keeps the signature and the preferences.
    avatar_url: Mapped[str | None] = mapped_column(String(2000))
    signature: Mapped[str | None] = mapped_column(String(1000))
    # The kinds of notification he turned off (switchboard.contracts NotificationKind).
    muted_notifications: Mapped[list[str]] = mapped_column(
        ARRAY(String(40)), server_default=text("'{}'")
    )


class Inbox(Base):
    """Projection of chat's inboxes (``inbox.created``), enough to check membership."""

    __tablename__ = "inbox"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    # No foreign key: chat's events are projected even before the account is known here.
    account_id: Mapped[UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    strategy: Mapped[str] = mapped_column(String(20), server_default=text("'round_robin'"))
    # The team whose members get the inbox's conversations (None: the inbox's members).
    team_id: Mapped[UUID | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    # None: no response timer.
    response_timeout_seconds: Mapped[int | None] = mapped_column(Integer)


class MembershipColumns:
    """What an inbox's and a team's memberships share, after their own inbox or team key (the
    other half of the primary key): the agent, his account and when he joined."""

    agent_id: Mapped[UUID] = mapped_column(
        ForeignKey("agent.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[UUID]
    added_at: Mapped[datetime]


class InboxMember(MembershipColumns, Base):
    __tablename__ = "inbox_member"
    __table_args__ = (
        Index("ix_inbox_member_inbox_id_added_at_agent_id", "inbox_id", "added_at", "agent_id"),
        Index("ix_inbox_member_agent_id", "agent_id"),
    )

    inbox_id: Mapped[UUID] = mapped_column(
        ForeignKey("inbox.id", ondelete="CASCADE"), primary_key=True
    )


class QueuedConversation(Base):
    """A conversation waiting for an eligible agent."""

    __tablename__ = "queued_conversation"
    __table_args__ = (
        Index("ix_queued_conversation_inbox_id_queued_at", "inbox_id", "queued_at"),
        Index("ix_queued_conversation_team_id", "team_id"),
    )

    conversation_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    inbox_id: Mapped[UUID]
    queued_at: Mapped[datetime]
    # Higher first; equal priorities wait in arrival order.
    priority: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    # Sent to a team's queue (a transfer or a supervisor); None: the inbox's routing decides.
    team_id: Mapped[UUID | None]
    # The open broadcast offer of this conversation, if any: drains skip it meanwhile.
    offer_id: Mapped[UUID | None]


class Assignment(Base):
    __tablename__ = "assignment"
    __table_args__ = (
        Index("ix_assignment_agent_id", "agent_id"),
        Index("ix_assignment_inbox_id_assigned_at", "inbox_id", "assigned_at"),
    )

    conversation_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    inbox_id: Mapped[UUID]
    agent_id: Mapped[UUID]
    assigned_at: Mapped[datetime]
    # How long it waited in the queue before this assignment (None: it did not wait).
    waited_seconds: Mapped[float | None] = mapped_column(Float)


class RefreshToken(Base):
    __tablename__ = "refresh_token"
    __table_args__ = (Index("ix_refresh_token_agent_id", "agent_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the token's jti
    agent_id: Mapped[UUID] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"))
    # The login this token descends from (the jti of its first token): a spent token used
    # again, or a logout, revokes the whole family.
    family_id: Mapped[str] = mapped_column(String(64), index=True)
    expires_at: Mapped[datetime]
    # Exchanged for a new pair (a refresh): presented again, it means the token leaked.
    spent_at: Mapped[datetime | None]
    # Ended by a logout, a new password, a deactivation or a detected reuse.
    revoked_at: Mapped[datetime | None]


class RevokedFamily(Base):
    """A login whose tokens were revoked (logout, or a spent refresh token used again): kept
    while an access token of it could still be alive, to republish the revocation."""

    __tablename__ = "revoked_family"

    family_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[UUID] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"))
    revoked_at: Mapped[datetime] = mapped_column(index=True)


class Conversation(Base):
    """Projection of chat's conversations: what routing needs to count load and route."""

    __tablename__ = "conversation"
    __table_args__ = (Index("ix_conversation_account_id", "account_id"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    inbox_id: Mapped[UUID]
    visitor_id: Mapped[UUID | None]
    status: Mapped[str] = mapped_column(String(20))
    # The team it was transferred or sent to (None: the inbox's routing).
    team_id: Mapped[UUID | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # The rank of chat's priority (``conversation.priority_changed``): a queued row takes it.
    priority: Mapped[int] = mapped_column(Integer, server_default=text("0"))


class Team(Base):
    __tablename__ = "team"
    __table_args__ = (
        UniqueConstraint("account_id", "name"),
        Index("ix_team_account_id_created_at_id", "account_id", "created_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    strategy: Mapped[str] = mapped_column(String(20), server_default=text("'round_robin'"))
    fallback_team_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("team.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]


class TeamMember(MembershipColumns, Base):
    __tablename__ = "team_member"
    __table_args__ = (
        Index("ix_team_member_team_id_added_at_agent_id", "team_id", "added_at", "agent_id"),
        Index("ix_team_member_agent_id", "agent_id"),
    )

    team_id: Mapped[UUID] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), primary_key=True
    )


class TeamTransferTarget(Base):
    """A team its members may transfer conversations to (none listed: any team)."""

    __tablename__ = "team_transfer_target"

    team_id: Mapped[UUID] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), primary_key=True
    )
    target_team_id: Mapped[UUID] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), primary_key=True
    )


class QueuePosition(Base):
    """The last position told to a waiting visitor, so only changes are published."""

    __tablename__ = "queue_position"
    __table_args__ = (Index("ix_queue_position_inbox_id", "inbox_id"),)

    conversation_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    inbox_id: Mapped[UUID]
    visitor_id: Mapped[UUID | None]
    position: Mapped[int] = mapped_column(Integer)


class Offer(Base):
    __tablename__ = "offer"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'accepted', 'expired', 'withdrawn')", name="status"),
        Index("ix_offer_conversation_id", "conversation_id"),
        Index("ix_offer_status_expires_at", "status", "expires_at"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    conversation_id: Mapped[UUID]
    inbox_id: Mapped[UUID]
    agent_ids: Mapped[list[UUID]] = mapped_column(ARRAY(Uuid()))
    status: Mapped[str] = mapped_column(String(20))
    winner_id: Mapped[UUID | None]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]


class Transfer(Base):
    __tablename__ = "transfer"
    __table_args__ = (
        Index("ix_transfer_conversation_id_created_at_id", "conversation_id", "created_at", "id"),
        Index("ix_transfer_status_expires_at", "status", "expires_at"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    conversation_id: Mapped[UUID]
    inbox_id: Mapped[UUID]
    from_agent_id: Mapped[UUID]
    to_agent_id: Mapped[UUID | None]
    to_team_id: Mapped[UUID | None]
    # Who may accept or reject: the target agent, or the team members picked for it.
    target_ids: Mapped[list[UUID]] = mapped_column(ARRAY(Uuid()))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(500))
    by_agent_id: Mapped[UUID | None]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]


class Invitation(Base):
    __tablename__ = "invitation"
    __table_args__ = (Index("ix_invitation_conversation_id", "conversation_id"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    conversation_id: Mapped[UUID]
    from_agent_id: Mapped[UUID]
    agent_id: Mapped[UUID]
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]


class Participant(Base):
    __tablename__ = "participant"
    __table_args__ = (CheckConstraint("kind IN ('participant', 'monitor')", name="kind"),)

    conversation_id: Mapped[UUID] = mapped_column(primary_key=True)
    agent_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    kind: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[datetime]


class ResponseTimer(Base):
    """Running while the assignee has not replied since the assignment."""

    __tablename__ = "response_timer"
    __table_args__ = (Index("ix_response_timer_due_at", "due_at"),)

    conversation_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    agent_id: Mapped[UUID]
    due_at: Mapped[datetime]


class Lapse(Base):
    """An agent who let the conversation's response timer run out: never offered it again."""

    __tablename__ = "lapse"

    conversation_id: Mapped[UUID] = mapped_column(primary_key=True)
    agent_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    lapsed_at: Mapped[datetime]
