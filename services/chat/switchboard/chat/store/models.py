"""Tables of chat: inboxes, visitors, conversations, messages, attachments, participants, and
the agent and team projections."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
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
    # The largest attachment the inbox takes; null: SB_ATTACHMENT_MAX_BYTES.
    attachment_max_bytes: Mapped[int | None] = mapped_column(BigInteger)


class Visitor(Base):
    """Searched by name, email and phone folded as one text (``ix_visitor_contact_scoped``,
    written by the migration: see ``store/finding.py``)."""

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
        # The lists by creation time (newest, oldest first), of all and of one status.
        Index("ix_conversation_account_created", "account_id", "created_at", "id"),
        Index("ix_conversation_account_status_created", "account_id", "status", "created_at", "id"),
        Index(
            "ix_conversation_snoozed_until",
            "snoozed_until",
            postgresql_where=text("status = 'snoozed'"),
        ),
        CheckConstraint(
            "priority IN ('none', 'low', 'medium', 'high', 'urgent')", name="priority_known"
        ),
        Index(
            "ix_conversation_account_waiting_since",
            "account_id",
            "waiting_since",
            postgresql_where=text("waiting_since IS NOT NULL"),
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
    # Organising (chat/organising): set by an agent; the queue drains by it (routing follows).
    priority: Mapped[str] = mapped_column(String(16), default="none", server_default="none")
    # The visitor wrote last and no agent answered publicly since (None: not waiting).
    waiting_since: Mapped[datetime | None]
    # The team routing sent it to (``assignment.team_changed``); None: its inbox's routing.
    team_id: Mapped[UUID | None]


class Message(Base):
    """``kind`` says what ``payload`` holds (null for text, see switchboard.contracts.messages);
    a deleted message keeps its row and place, without content or payload (``deleted_at``).
    Searched by its folded content (``ix_message_content_scoped``, a trigram index that the
    migration writes: see ``store/finding.py``)."""

    __tablename__ = "message"
    __table_args__ = (
        CheckConstraint("sender_type IN ('visitor', 'agent', 'system')", name="sender_type_known"),
        CheckConstraint(
            "kind IN ('text', 'card', 'product', 'voucher', 'order', 'location')",
            name="kind_known",
        ),
        CheckConstraint(
            "deleted_at IS NOT NULL OR (kind = 'text') = (payload IS NULL)", name="payload_of_kind"
        ),
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
    kind: Mapped[str] = mapped_column(String(16), default="text", server_default="text")
    # none_as_null: a text has no payload (SQL NULL), not the JSON null.
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSONB(none_as_null=True))
    deleted_at: Mapped[datetime | None]
    # Agents a private note mentions (each notified; see ConversationMention).
    mentions: Mapped[list[UUID]] = mapped_column(ARRAY(Uuid), server_default=text("'{}'"))


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
    # His own profile, from ``agent.updated``: appended on request to what he sends, and the
    # kinds of notification he turned off.
    signature: Mapped[str | None] = mapped_column(String(1000))
    muted_notifications: Mapped[list[str]] = mapped_column(
        ARRAY(String(40)), server_default=text("'{}'")
    )
    # False once routing deactivated him (``agent.updated``'s ``active``): he may no longer be
    # mentioned. An agent is active from ``agent.created`` on.
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    # His role in routing (``agent.created`` / ``.updated``): whom a team-wide quick reply
    # reaches besides its teams. None: not heard since chat began keeping it.
    role: Mapped[str | None] = mapped_column(String(16))


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


class Label(Base):
    """An account's label (categories such as after-sales or logistics are labels too)."""

    __tablename__ = "label"
    __table_args__ = (
        CheckConstraint("colour ~ '^#[0-9a-f]{6}$'", name="colour_hex"),
        UniqueConstraint("account_id", "name", name="uq_label_account_name"),
        Index("ix_label_account_created", "account_id", "created_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    account_id: Mapped[UUID]
    name: Mapped[str] = mapped_column(String(50))
    colour: Mapped[str] = mapped_column(String(7))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ConversationLabel(Base):
    """A label on a conversation: read by conversation (its primary key) and by label."""

    __tablename__ = "conversation_label"
    __table_args__ = (
        Index("ix_conversation_label_account_label", "account_id", "label_id", "conversation_id"),
    )

    conversation_id: Mapped[UUID] = mapped_column(
        ForeignKey("chat.conversation.id"), primary_key=True
    )
    label_id: Mapped[UUID] = mapped_column(
        ForeignKey("chat.label.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[UUID]
    added_at: Mapped[datetime]


class ConversationStar(Base):
    """An agent's star on a conversation, to follow it up: his alone."""

    __tablename__ = "conversation_star"
    __table_args__ = (
        Index("ix_conversation_star_account_agent", "account_id", "agent_id", "conversation_id"),
    )

    conversation_id: Mapped[UUID] = mapped_column(
        ForeignKey("chat.conversation.id"), primary_key=True
    )
    agent_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    starred_at: Mapped[datetime]


class ReadPosition(Base):
    """How far a reader (an agent or the visitor) has read a conversation: the last message
    read (its time too, so counting what came after is one range of the message index) and
    when he read it."""

    __tablename__ = "read_position"
    __table_args__ = (
        CheckConstraint("reader_type IN ('agent', 'visitor')", name="reader_type_known"),
        Index("ix_read_position_account_reader", "account_id", "reader_id", "conversation_id"),
    )

    conversation_id: Mapped[UUID] = mapped_column(
        ForeignKey("chat.conversation.id"), primary_key=True
    )
    reader_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    reader_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    last_read_message_id: Mapped[UUID] = mapped_column(ForeignKey("chat.message.id"))
    last_read_message_at: Mapped[datetime]
    read_at: Mapped[datetime]


class ConversationMention(Base):
    """An agent a private note of the conversation mentioned: he may read it (not write to
    it), even outside its inbox (see ``switchboard.core.access``)."""

    __tablename__ = "conversation_mention"
    __table_args__ = (Index("ix_conversation_mention_agent", "agent_id", "conversation_id"),)

    conversation_id: Mapped[UUID] = mapped_column(
        ForeignKey("chat.conversation.id"), primary_key=True
    )
    agent_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
    mentioned_at: Mapped[datetime]


class StoredFileColumns:
    """The columns of a file kept in the storage, as an upload stores it (``uploads.StoredFile``):
    what it is, and the keys of its objects. A message's attachments and a quick reply's files
    have them."""

    kind: Mapped[str] = mapped_column(String(16))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    file_name: Mapped[str] = mapped_column(String(255))
    width: Mapped[int | None]
    height: Mapped[int | None]
    storage_key: Mapped[str] = mapped_column(String(200))
    thumbnail_key: Mapped[str | None] = mapped_column(String(200))


class Attachment(StoredFileColumns, Base):
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
    created_at: Mapped[datetime]


class TeamMember(Base):
    """Projection of routing's team memberships (``team.member_added`` / ``_removed``): an
    agent sees the quick replies of his teams."""

    __tablename__ = "team_member"
    __table_args__ = (Index("ix_team_member_agent", "agent_id", "team_id"),)

    team_id: Mapped[UUID] = mapped_column(primary_key=True)
    agent_id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID]
