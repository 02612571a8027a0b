"""The envelopes routing publishes (the models are ``switchboard.contracts.routing``)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from switchboard.contracts import routing as contract
from switchboard.contracts.values import AssignmentReason, Audience
from switchboard.core.events import Envelope
from switchboard.routing.store.models import Agent, Invitation, Offer, Team, Transfer

SUPERVISORS = Audience.role("supervisor")
ADMINS = Audience.role("admin")


def _agents(ids: Iterable[UUID | None]) -> list[str]:
    return [Audience.agent(agent_id) for agent_id in ids if agent_id is not None]


def agent_created(agent: Agent) -> Envelope:
    payload = contract.AgentCreated(
        agent_id=agent.id, name=agent.name, email=agent.email, role=agent.role
    )
    return Envelope.of(payload, account_id=agent.account_id, key=agent.id, audience=[ADMINS])


def availability_changed(agent: Agent) -> Envelope:
    payload = contract.AgentAvailabilityChanged(
        agent_id=agent.id, status=agent.status, accept_auto_assign=agent.accept_auto_assign
    )
    return Envelope.of(
        payload,
        account_id=agent.account_id,
        key=agent.id,
        audience=[Audience.agent(agent.id), SUPERVISORS],
    )


def team_created(team: Team) -> Envelope:
    payload = contract.TeamCreated(
        team_id=team.id, name=team.name, fallback_team_id=team.fallback_team_id
    )
    return Envelope.of(payload, account_id=team.account_id, key=team.id, audience=[SUPERVISORS])


def assignment_created(
    *,
    account_id: UUID,
    conversation_id: UUID,
    inbox_id: UUID,
    agent_id: UUID,
    previous_agent_id: UUID | None = None,
    reason: AssignmentReason = "auto",
) -> Envelope:
    payload = contract.AssignmentCreated(
        conversation_id=conversation_id,
        inbox_id=inbox_id,
        agent_id=agent_id,
        previous_agent_id=previous_agent_id,
        reason=reason,
    )
    return Envelope.of(payload, account_id=account_id, key=conversation_id)


def assignment_removed(
    *, account_id: UUID, conversation_id: UUID, inbox_id: UUID, agent_id: UUID, reason: str
) -> Envelope:
    payload = contract.AssignmentRemoved(
        conversation_id=conversation_id,
        inbox_id=inbox_id,
        agent_id=agent_id,
        reason=reason,
    )
    return Envelope.of(payload, account_id=account_id, key=conversation_id)


def offer_created(offer: Offer) -> Envelope:
    payload = contract.OfferCreated(
        offer_id=offer.id,
        conversation_id=offer.conversation_id,
        inbox_id=offer.inbox_id,
        agent_ids=offer.agent_ids,
        expires_at=offer.expires_at,
    )
    return Envelope.of(
        payload,
        account_id=offer.account_id,
        key=offer.conversation_id,
        audience=_agents(offer.agent_ids),
    )


def offer_withdrawn(offer: Offer, *, reason: str, audience: Iterable[UUID]) -> Envelope:
    payload = contract.OfferWithdrawn(
        offer_id=offer.id,
        conversation_id=offer.conversation_id,
        reason=reason,
        winner_id=offer.winner_id,
    )
    return Envelope.of(
        payload, account_id=offer.account_id, key=offer.conversation_id, audience=_agents(audience)
    )


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
    payload = contract.TransferRequested(
        transfer_id=transfer.id,
        conversation_id=transfer.conversation_id,
        from_agent_id=transfer.from_agent_id,
        to_agent_id=transfer.to_agent_id,
        to_team_id=transfer.to_team_id,
        expires_at=transfer.expires_at,
    )
    return Envelope.of(
        payload,
        account_id=transfer.account_id,
        key=transfer.conversation_id,
        audience=_agents([*transfer.target_ids, transfer.from_agent_id]),
    )


TransferOutcome = type[
    contract.TransferAccepted | contract.TransferRejected | contract.TransferExpired
]


def transfer_settled(outcome: TransferOutcome, transfer: Transfer) -> Envelope:
    """``outcome``: ``TransferAccepted``, ``TransferRejected`` or ``TransferExpired``."""
    payload = outcome(
        transfer_id=transfer.id,
        conversation_id=transfer.conversation_id,
        from_agent_id=transfer.from_agent_id,
        to_agent_id=transfer.to_agent_id,
        to_team_id=transfer.to_team_id,
        by_agent_id=transfer.by_agent_id,
        reason=transfer.reason,
    )
    return Envelope.of(
        payload,
        account_id=transfer.account_id,
        key=transfer.conversation_id,
        audience=_agents([transfer.from_agent_id, *transfer.target_ids]),
    )


InvitationNews = type[
    contract.InvitationCreated | contract.InvitationAccepted | contract.InvitationDeclined
]


def invitation_event(news: InvitationNews, invitation: Invitation) -> Envelope:
    """``news``: ``InvitationCreated``, ``InvitationAccepted`` or ``InvitationDeclined``."""
    payload = news(
        invitation_id=invitation.id,
        conversation_id=invitation.conversation_id,
        from_agent_id=invitation.from_agent_id,
        agent_id=invitation.agent_id,
    )
    return Envelope.of(
        payload,
        account_id=invitation.account_id,
        key=invitation.conversation_id,
        audience=_agents([invitation.agent_id, invitation.from_agent_id]),
    )


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
    payload = news(
        conversation_id=conversation_id,
        agent_id=agent_id,
        kind=kind,
    )
    return Envelope.of(
        payload,
        account_id=account_id,
        key=conversation_id,
        audience=[*_agents([agent_id, assignee_id]), SUPERVISORS],
    )


def agent_updated(agent: Agent, changed: Iterable[str]) -> Envelope:
    """The agent's directory entry changed (role, activation, capacity)."""
    payload = contract.AgentUpdated(
        agent_id=agent.id,
        name=agent.name,
        email=agent.email,
        role=agent.role,
        active=agent.active,
        capacity=agent.capacity,
        changed=sorted(changed),
    )
    return Envelope.of(
        payload,
        account_id=agent.account_id,
        key=agent.id,
        audience=[Audience.agent(agent.id), ADMINS],
    )


def session_revoked(agent: Agent, *, reason: str, family_id: str | None = None) -> Envelope:
    """Tokens of the agent (all of them, or one login's family) stopped working: his sockets
    are closed, to reconnect after a refresh (or a new login)."""
    payload = contract.AgentSessionRevoked(
        agent_id=agent.id,
        reason=reason,
        session_version=agent.session_version,
        family_id=family_id,
    )
    return Envelope.of(
        payload, account_id=agent.account_id, key=agent.id, audience=[Audience.agent(agent.id)]
    )


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
