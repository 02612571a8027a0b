"""The events routing publishes: the directory, assignments and the support floor."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from switchboard.contracts.event import Event
from switchboard.contracts.inputs import Timestamp
from switchboard.contracts.values import (
    AgentStatus,
    AssignmentReason,
    ConversationPriority,
    NotificationPreferences,
    ParticipantKind,
    Role,
)

__all__ = [
    "AgentAvailabilityChanged",
    "AgentCreated",
    "AgentSessionRevoked",
    "AgentUpdated",
    "AssignmentCreated",
    "AssignmentRemoved",
    "AssignmentTeamChanged",
    "InboxMemberAdded",
    "InboxMemberRemoved",
    "InvitationAccepted",
    "InvitationCreated",
    "InvitationDeclined",
    "OfferCreated",
    "OfferWithdrawn",
    "ParticipantAdded",
    "ParticipantRemoved",
    "QueuePositionChanged",
    "QueuePrioritySet",
    "TeamCreated",
    "TeamMemberAdded",
    "TeamMemberRemoved",
    "TeamUpdated",
    "TransferAccepted",
    "TransferExpired",
    "TransferRejected",
    "TransferRequested",
]

_CONVERSATION = "conversation id"


class RoutingEvent(Event):
    source: ClassVar[str] = "routing"


class AgentCreated(RoutingEvent):
    """An agent joined the account's directory."""

    type: ClassVar[str] = "agent.created"
    ordered_by: ClassVar[str] = "agent id"
    heard_by: ClassVar[str] = "role:admin"

    agent_id: UUID
    name: str
    email: str
    role: Role


class AgentUpdated(RoutingEvent):
    """An agent's directory entry changed (name, role, activation, capacity, his own profile:
    avatar, signature, notification preferences); ``changed`` names what did."""

    type: ClassVar[str] = "agent.updated"
    ordered_by: ClassVar[str] = "agent id"
    heard_by: ClassVar[str] = "the agent, role:admin"

    agent_id: UUID
    name: str
    email: str
    role: Role
    active: bool
    capacity: int | None
    changed: list[str]
    avatar_url: str | None = None
    signature: str | None = None
    notifications: NotificationPreferences = NotificationPreferences()


class AgentAvailabilityChanged(RoutingEvent):
    """An agent set his routing status or the accept-auto-assignment toggle."""

    type: ClassVar[str] = "agent.availability_changed"
    ordered_by: ClassVar[str] = "agent id"
    heard_by: ClassVar[str] = "the agent, role:supervisor"

    agent_id: UUID
    status: AgentStatus
    accept_auto_assign: bool


class _TeamEvent(RoutingEvent):
    ordered_by: ClassVar[str] = "team id"
    heard_by: ClassVar[str] = "role:supervisor"

    team_id: UUID
    name: str
    fallback_team_id: UUID | None


class TeamCreated(_TeamEvent):
    """A team was created."""

    type: ClassVar[str] = "team.created"


class TeamUpdated(_TeamEvent):
    """A team was renamed. Reserved: chat's team-name projection reads it, but routing does
    not publish it yet."""

    type: ClassVar[str] = "team.updated"


class AssignmentCreated(RoutingEvent):
    """Routing gave the conversation to an agent (chat then publishes
    ``conversation.assigned``)."""

    type: ClassVar[str] = "assignment.created"
    ordered_by: ClassVar[str] = _CONVERSATION

    conversation_id: UUID
    inbox_id: UUID
    agent_id: UUID
    previous_agent_id: UUID | None
    reason: AssignmentReason
    # Who assigned it by hand (a supervisor, or the agent himself); null when routing chose.
    by_agent_id: UUID | None = None


class AssignmentRemoved(RoutingEvent):
    """Routing took the conversation from its agent, back to the queue (chat then publishes
    ``conversation.assigned`` with ``assignee_id`` null)."""

    type: ClassVar[str] = "assignment.removed"
    ordered_by: ClassVar[str] = _CONVERSATION

    conversation_id: UUID
    inbox_id: UUID
    agent_id: UUID
    reason: Literal["timeout", "transfer", "deactivated"]


class AssignmentTeamChanged(RoutingEvent):
    """The conversation was sent to a team (its queue and its members are the pool now): by
    a supervisor, or by a transfer to the team (chat then publishes
    ``conversation.team_changed``)."""

    type: ClassVar[str] = "assignment.team_changed"
    ordered_by: ClassVar[str] = _CONVERSATION

    conversation_id: UUID
    inbox_id: UUID
    team_id: UUID
    previous_team_id: UUID | None
    by_agent_id: UUID | None = None


class OfferCreated(RoutingEvent):
    """The conversation is offered to every agent who can take it now (a broadcast inbox or
    team); the first ``accept_offer`` before ``expires_at`` wins."""

    type: ClassVar[str] = "offer.created"
    ordered_by: ClassVar[str] = _CONVERSATION
    heard_by: ClassVar[str] = "every offered agent"

    offer_id: UUID
    conversation_id: UUID
    inbox_id: UUID
    agent_ids: list[UUID]
    expires_at: Timestamp


class OfferWithdrawn(RoutingEvent):
    """The offer ended: ``taken`` (``winner_id`` got it; null when a supervisor sent it
    elsewhere) or ``expired`` (nobody accepted in time, or it was resolved; offered again
    while it waits)."""

    type: ClassVar[str] = "offer.withdrawn"
    ordered_by: ClassVar[str] = _CONVERSATION
    heard_by: ClassVar[str] = "every offered agent but the winner"

    offer_id: UUID
    conversation_id: UUID
    reason: Literal["taken", "expired"]
    winner_id: UUID | None


class QueuePositionChanged(RoutingEvent):
    """The conversation's place in its inbox's queue changed."""

    type: ClassVar[str] = "queue.position_changed"
    ordered_by: ClassVar[str] = _CONVERSATION
    heard_by: ClassVar[str] = "the visitor, the inbox, role:supervisor"

    conversation_id: UUID
    position: int = Field(ge=0, description="1 is next; 0: it left the queue")
    estimated_wait_seconds: int = Field(
        ge=0, description="the position times the inbox's recent average wait (60 s a place)"
    )


class QueuePrioritySet(RoutingEvent):
    """A supervisor set a waiting conversation's priority on the queue (``PATCH
    /v1/queue/{id}``); chat, whose priority is the one source, takes it and publishes
    ``conversation.priority_changed``."""

    type: ClassVar[str] = "queue.priority_set"
    ordered_by: ClassVar[str] = _CONVERSATION

    conversation_id: UUID
    priority: ConversationPriority
    by_agent_id: UUID


class TransferRequested(RoutingEvent):
    """An agent asked to hand the conversation to an agent or a team."""

    type: ClassVar[str] = "transfer.requested"
    ordered_by: ClassVar[str] = _CONVERSATION
    heard_by: ClassVar[str] = "the target agent (or the team members asked), the requester"

    transfer_id: UUID
    conversation_id: UUID
    from_agent_id: UUID
    to_agent_id: UUID | None
    to_team_id: UUID | None
    expires_at: Timestamp
    # The agents it asks: the target agent, or the team's members asked.
    target_ids: list[UUID] = []


class _TransferSettled(RoutingEvent):
    ordered_by: ClassVar[str] = _CONVERSATION
    heard_by: ClassVar[str] = "the requester, the target(s)"

    transfer_id: UUID
    conversation_id: UUID
    from_agent_id: UUID
    to_agent_id: UUID | None
    to_team_id: UUID | None
    by_agent_id: UUID | None = Field(description="who answered")
    reason: str | None = Field(
        description="the target's own words, or timeout, or conversation_closed or reassigned"
        " (cancelled), or queued (nobody of the team could take it: it waits in its queue)"
    )


class TransferAccepted(_TransferSettled):
    """The target took the conversation (or, reason ``queued``, it went to the team's queue)."""

    type: ClassVar[str] = "transfer.accepted"


class TransferRejected(_TransferSettled):
    """The target refused, or the transfer was cancelled (no ``by_agent_id``)."""

    type: ClassVar[str] = "transfer.rejected"


class TransferExpired(_TransferSettled):
    """Nobody answered in time: the conversation stays with the requester."""

    type: ClassVar[str] = "transfer.expired"


class _InvitationEvent(RoutingEvent):
    ordered_by: ClassVar[str] = _CONVERSATION
    heard_by: ClassVar[str] = "the invitee, the inviter"

    invitation_id: UUID
    conversation_id: UUID
    from_agent_id: UUID
    agent_id: UUID


class InvitationCreated(_InvitationEvent):
    """An agent invited another into the conversation."""

    type: ClassVar[str] = "invitation.created"


class InvitationAccepted(_InvitationEvent):
    """The invitee joined the conversation."""

    type: ClassVar[str] = "invitation.accepted"


class InvitationDeclined(_InvitationEvent):
    """The invitee declined."""

    type: ClassVar[str] = "invitation.declined"


class _ParticipantEvent(RoutingEvent):
    ordered_by: ClassVar[str] = _CONVERSATION
    heard_by: ClassVar[str] = "the participant, the assignee, role:supervisor (never the visitor)"

    conversation_id: UUID
    agent_id: UUID
    kind: ParticipantKind


class ParticipantAdded(_ParticipantEvent):
    """An agent joined the conversation, or a supervisor started monitoring it."""

    type: ClassVar[str] = "participant.added"


class ParticipantRemoved(_ParticipantEvent):
    """A participant left, or a monitor stopped watching."""

    type: ClassVar[str] = "participant.removed"


class AgentSessionRevoked(RoutingEvent):
    """Tokens of the agent stopped working: all of them (``family_id`` null: a role change,
    a new password, a deactivation, "log out everywhere"), or one login's (a logout, a
    reused refresh token). The gateway closes the matching sockets after pushing this."""

    type: ClassVar[str] = "session.revoked"
    ordered_by: ClassVar[str] = "agent id"
    heard_by: ClassVar[str] = "the agent"

    agent_id: UUID
    reason: str = Field(
        description="role_changed, password_changed, deactivated, logged_out,"
        " logged_out_everywhere or refresh_token_reused"
    )
    session_version: int
    family_id: str | None


class _InboxMembership(RoutingEvent):
    ordered_by: ClassVar[str] = "inbox id"
    heard_by: ClassVar[str] = "the agent, role:admin"

    inbox_id: UUID
    agent_id: UUID


class InboxMemberAdded(_InboxMembership):
    """The agent now sees the inbox (chat's visibility; his live sockets hear it at once)."""

    type: ClassVar[str] = "inbox.member_added"


class InboxMemberRemoved(_InboxMembership):
    """The agent no longer sees the inbox."""

    type: ClassVar[str] = "inbox.member_removed"


class _TeamMembership(RoutingEvent):
    ordered_by: ClassVar[str] = "team id"
    heard_by: ClassVar[str] = "the agent, role:admin"

    team_id: UUID
    agent_id: UUID


class TeamMemberAdded(_TeamMembership):
    """The agent joined the team (chat: he sees the team's quick replies)."""

    type: ClassVar[str] = "team.member_added"


class TeamMemberRemoved(_TeamMembership):
    """The agent left the team."""

    type: ClassVar[str] = "team.member_removed"
