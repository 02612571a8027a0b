"""The envelopes routing publishes (the models are ``switchboard.contracts.routing``).

Most events tell what a row now says (an agent, a team, an offer, a transfer, an invitation):
``_told`` reads the payload's fields off the row, so each event names only what the row does
not hold (its own id under the event's name for it, a reason) and who hears it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar
from uuid import UUID

from switchboard.contracts import routing as contract
from switchboard.contracts.event import Event
from switchboard.contracts.values import (
    AssignmentReason,
    Audience,
    ConversationPriority,
    NotificationPreferences,
)
from switchboard.core.events import Envelope
from switchboard.routing.store.models import (
    Agent,
    Conversation,
    Invitation,
    Offer,
    Team,
    Transfer,
)

SUPERVISORS = Audience.role("supervisor")
ADMINS = Audience.role("admin")

E = TypeVar("E", bound=Event)


class _AccountRow(Protocol):
    @property
    def account_id(self) -> UUID: ...


def _agents(ids: Iterable[UUID | None]) -> list[str]:
    return [Audience.agent(agent_id) for agent_id in ids if agent_id is not None]


def _told(model: type[E], row: object, **values: Any) -> E:
    """The payload ``model`` with every field the caller does not give read off ``row``."""
    fields = {
        name: values[name] if name in values else getattr(row, name) for name in model.model_fields
    }
    return model(**fields)


def _about(payload: Event, row: _AccountRow, key: UUID, audience: Iterable[str]) -> Envelope:
    return Envelope.of(payload, account_id=row.account_id, key=key, audience=audience)


def agent_created(agent: Agent) -> Envelope:
    payload = _told(contract.AgentCreated, agent, agent_id=agent.id)
    return _about(payload, agent, agent.id, [ADMINS])


def availability_changed(agent: Agent) -> Envelope:
    payload = _told(contract.AgentAvailabilityChanged, agent, agent_id=agent.id)
    return _about(payload, agent, agent.id, [Audience.agent(agent.id), SUPERVISORS])


def agent_updated(agent: Agent, changed: Iterable[str]) -> Envelope:
    """The agent's directory entry changed (name, role, activation, capacity, his profile)."""
    payload = _told(
        contract.AgentUpdated,
        agent,
        agent_id=agent.id,
        changed=sorted(changed),
        notifications=NotificationPreferences.muting(agent.muted_notifications),
    )
    return _about(payload, agent, agent.id, [Audience.agent(agent.id), ADMINS])


def session_revoked(agent: Agent, *, reason: str, family_id: str | None = None) -> Envelope:
    """Tokens of the agent (all of them, or one login's family) stopped working: his sockets
    are closed, to reconnect after a refresh (or a new login)."""
    payload = _told(
        contract.AgentSessionRevoked, agent, agent_id=agent.id, reason=reason, family_id=family_id
    )
    return _about(payload, agent, agent.id, [Audience.agent(agent.id)])


def team_created(team: Team) -> Envelope:
    payload = _told(contract.TeamCreated, team, team_id=team.id)
    return _about(payload, team, team.id, [SUPERVISORS])


def inbox_membership(
    news: type[contract.InboxMemberAdded | contract.InboxMemberRemoved],
    account_id: UUID,
    inbox_id: UUID,
    agent_id: UUID,
) -> Envelope:
    """``InboxMemberAdded`` / ``InboxMemberRemoved``: what the agent may see changed."""
    return Envelope.of(
        news(inbox_id=inbox_id, agent_id=agent_id),
        account_id=account_id,
        key=inbox_id,
        audience=[Audience.agent(agent_id), ADMINS],
    )


def team_membership(
    news: type[contract.TeamMemberAdded | contract.TeamMemberRemoved],
    account_id: UUID,
    team_id: UUID,
    agent_id: UUID,
) -> Envelope:
    """``TeamMemberAdded`` / ``TeamMemberRemoved``: the teams the agent is in changed."""
    return Envelope.of(
        news(team_id=team_id, agent_id=agent_id),
        account_id=account_id,
        key=team_id,
        audience=[Audience.agent(agent_id), ADMINS],
    )


def assignment_created(
    *,
    account_id: UUID,
    conversation_id: UUID,
    inbox_id: UUID,
    agent_id: UUID,
    previous_agent_id: UUID | None = None,
    reason: AssignmentReason = "auto",
    by_agent_id: UUID | None = None,
) -> Envelope:
    payload = contract.AssignmentCreated(
        conversation_id=conversation_id,
        inbox_id=inbox_id,
        agent_id=agent_id,
        previous_agent_id=previous_agent_id,
        reason=reason,
        by_agent_id=by_agent_id,
    )
    return Envelope.of(payload, account_id=account_id, key=conversation_id)


def assignment_removed(
    *, account_id: UUID, conversation_id: UUID, inbox_id: UUID, agent_id: UUID, reason: str
) -> Envelope:
    payload = contract.AssignmentRemoved(
        conversation_id=conversation_id, inbox_id=inbox_id, agent_id=agent_id, reason=reason
    )
    return Envelope.of(payload, account_id=account_id, key=conversation_id)


def team_changed(
    conversation: Conversation,
    *,
    team_id: UUID,
    previous_team_id: UUID | None,
    by_agent_id: UUID | None,
) -> Envelope:
    payload = contract.AssignmentTeamChanged(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        team_id=team_id,
        previous_team_id=previous_team_id,
        by_agent_id=by_agent_id,
    )
    return Envelope.of(payload, account_id=conversation.account_id, key=conversation.id)


def offer_created(offer: Offer) -> Envelope:
    payload = _told(contract.OfferCreated, offer, offer_id=offer.id)
    return _about(payload, offer, offer.conversation_id, _agents(offer.agent_ids))


def offer_withdrawn(offer: Offer, *, reason: str, audience: Iterable[UUID]) -> Envelope:
    payload = _told(contract.OfferWithdrawn, offer, offer_id=offer.id, reason=reason)
    return _about(payload, offer, offer.conversation_id, _agents(audience))


def queue_position_changed(
    *,
    account_id: UUID,
    conversation_id: UUID,
    inbox_id: UUID,
    visitor_id: UUID | None,
    position: int,
    estimated_wait_seconds: int,
) -> Envelope:
    audience = [Audience.inbox(inbox_id), SUPERVISORS]
    if visitor_id is not None:
        audience.insert(0, Audience.visitor(visitor_id))
    payload = contract.QueuePositionChanged(
        conversation_id=conversation_id,
        position=position,
        estimated_wait_seconds=estimated_wait_seconds,
    )
    return Envelope.of(payload, account_id=account_id, key=conversation_id, audience=audience)


def transfer_requested(transfer: Transfer) -> Envelope:
    payload = _told(contract.TransferRequested, transfer, transfer_id=transfer.id)
    audience = _agents([*transfer.target_ids, transfer.from_agent_id])
    return _about(payload, transfer, transfer.conversation_id, audience)


TransferOutcome = type[
    contract.TransferAccepted | contract.TransferRejected | contract.TransferExpired
]


def transfer_settled(outcome: TransferOutcome, transfer: Transfer) -> Envelope:
    """``outcome``: ``TransferAccepted``, ``TransferRejected`` or ``TransferExpired``."""
    payload = _told(outcome, transfer, transfer_id=transfer.id)
    audience = _agents([transfer.from_agent_id, *transfer.target_ids])
    return _about(payload, transfer, transfer.conversation_id, audience)


InvitationNews = type[
    contract.InvitationCreated | contract.InvitationAccepted | contract.InvitationDeclined
]


def invitation_event(news: InvitationNews, invitation: Invitation) -> Envelope:
    """``news``: ``InvitationCreated``, ``InvitationAccepted`` or ``InvitationDeclined``."""
    payload = _told(news, invitation, invitation_id=invitation.id)
    audience = _agents([invitation.agent_id, invitation.from_agent_id])
    return _about(payload, invitation, invitation.conversation_id, audience)


def participant_event(
    news: type[contract.ParticipantAdded | contract.ParticipantRemoved],
    *,
    account_id: UUID,
    conversation_id: UUID,
    agent_id: UUID,
    kind: str,
    assignee_id: UUID | None,
) -> Envelope:
    """``news``: ``ParticipantAdded`` or ``ParticipantRemoved``."""
    payload = news(conversation_id=conversation_id, agent_id=agent_id, kind=kind)
    audience = [*_agents([agent_id, assignee_id]), SUPERVISORS]
    return Envelope.of(payload, account_id=account_id, key=conversation_id, audience=audience)


def queue_priority_set(
    *,
    account_id: UUID,
    conversation_id: UUID,
    priority: ConversationPriority,
    by_agent_id: UUID,
) -> Envelope:
    """Internal: chat takes the priority and tells the sockets."""
    payload = contract.QueuePrioritySet(
        conversation_id=conversation_id, priority=priority, by_agent_id=by_agent_id
    )
    return Envelope.of(payload, account_id=account_id, key=conversation_id)
