"""The envelopes routing publishes (see the event catalogue in docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from switchboard.core.events import Audience, Envelope
from switchboard.routing.store.models import Agent, Invitation, Offer, Team, Transfer

SOURCE = "routing"
SUPERVISORS = Audience.role("supervisor")


def _id(value: UUID | None) -> str | None:
    return None if value is None else str(value)


def _agents(ids: Iterable[UUID | None]) -> list[str]:
    seen: list[str] = []
    for agent_id in ids:
        if agent_id is not None and Audience.agent(agent_id) not in seen:
            seen.append(Audience.agent(agent_id))
    return seen


def _envelope(
    event_type: str, account_id: UUID, key: UUID, audience: list[str], data: dict[str, Any]
) -> Envelope:
    return Envelope(
        type=event_type,
        account_id=str(account_id),
        source=SOURCE,
        key=str(key),
        audience=audience,
        data=data,
    )


def agent_created(agent: Agent) -> Envelope:
    return _envelope(
        "agent.created",
        agent.account_id,
        agent.id,
        [Audience.role("admin")],
        {"agent_id": str(agent.id), "name": agent.name, "email": agent.email, "role": agent.role},
    )


def availability_changed(agent: Agent) -> Envelope:
    return _envelope(
        "agent.availability_changed",
        agent.account_id,
        agent.id,
        [Audience.agent(agent.id), SUPERVISORS],
        {
            "agent_id": str(agent.id),
            "status": agent.status,
            "accept_auto_assign": agent.accept_auto_assign,
        },
    )


def team_created(team: Team) -> Envelope:
    return _envelope(
        "team.created",
        team.account_id,
        team.id,
        [SUPERVISORS],
        {
            "team_id": str(team.id),
            "name": team.name,
            "fallback_team_id": _id(team.fallback_team_id),
        },
    )


def assignment_created(
    *,
    account_id: UUID,
    conversation_id: UUID,
    inbox_id: UUID,
    agent_id: UUID,
    previous_agent_id: UUID | None = None,
    reason: str = "auto",
) -> Envelope:
    return _envelope(
        "assignment.created",
        account_id,
        conversation_id,
        [],
        {
            "conversation_id": str(conversation_id),
            "inbox_id": str(inbox_id),
            "agent_id": str(agent_id),
            "previous_agent_id": _id(previous_agent_id),
            "reason": reason,
        },
    )


def assignment_removed(
    *, account_id: UUID, conversation_id: UUID, inbox_id: UUID, agent_id: UUID, reason: str
) -> Envelope:
    return _envelope(
        "assignment.removed",
        account_id,
        conversation_id,
        [],
        {
            "conversation_id": str(conversation_id),
            "inbox_id": str(inbox_id),
            "agent_id": str(agent_id),
            "reason": reason,
        },
    )


def offer_created(offer: Offer) -> Envelope:
    return _envelope(
        "offer.created",
        offer.account_id,
        offer.conversation_id,
        _agents(offer.agent_ids),
        {
            "offer_id": str(offer.id),
            "conversation_id": str(offer.conversation_id),
            "inbox_id": str(offer.inbox_id),
            "agent_ids": [str(agent_id) for agent_id in offer.agent_ids],
            "expires_at": offer.expires_at.isoformat(),
        },
    )


def offer_withdrawn(offer: Offer, *, reason: str, audience: Iterable[UUID]) -> Envelope:
    return _envelope(
        "offer.withdrawn",
        offer.account_id,
        offer.conversation_id,
        _agents(audience),
        {
            "offer_id": str(offer.id),
            "conversation_id": str(offer.conversation_id),
            "reason": reason,
            "winner_id": _id(offer.winner_id),
        },
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
    return _envelope(
        "queue.position_changed",
        account_id,
        conversation_id,
        audience,
        {
            "conversation_id": str(conversation_id),
            "position": position,
            "estimated_wait_seconds": estimated_wait_seconds,
        },
    )


def transfer_requested(transfer: Transfer) -> Envelope:
    return _envelope(
        "transfer.requested",
        transfer.account_id,
        transfer.conversation_id,
        _agents([*transfer.target_ids, transfer.from_agent_id]),
        {
            "transfer_id": str(transfer.id),
            "conversation_id": str(transfer.conversation_id),
            "from_agent_id": str(transfer.from_agent_id),
            "to_agent_id": _id(transfer.to_agent_id),
            "to_team_id": _id(transfer.to_team_id),
            "expires_at": transfer.expires_at.isoformat(),
        },
    )


def transfer_settled(event_type: str, transfer: Transfer) -> Envelope:
    """``transfer.accepted``, ``transfer.rejected`` or ``transfer.expired``."""
    return _envelope(
        event_type,
        transfer.account_id,
        transfer.conversation_id,
        _agents([transfer.from_agent_id, *transfer.target_ids]),
        {
            "transfer_id": str(transfer.id),
            "conversation_id": str(transfer.conversation_id),
            "from_agent_id": str(transfer.from_agent_id),
            "to_agent_id": _id(transfer.to_agent_id),
            "to_team_id": _id(transfer.to_team_id),
            "by_agent_id": _id(transfer.by_agent_id),
            "reason": transfer.reason,
        },
    )


def invitation_event(event_type: str, invitation: Invitation) -> Envelope:
    """``invitation.created``, ``invitation.accepted`` or ``invitation.declined``."""
    return _envelope(
        event_type,
        invitation.account_id,
        invitation.conversation_id,
        _agents([invitation.agent_id, invitation.from_agent_id]),
        {
            "invitation_id": str(invitation.id),
            "conversation_id": str(invitation.conversation_id),
            "from_agent_id": str(invitation.from_agent_id),
            "agent_id": str(invitation.agent_id),
        },
    )


def participant_event(
    event_type: str,
    *,
    account_id: UUID,
    conversation_id: UUID,
    agent_id: UUID,
    kind: str,
    assignee_id: UUID | None,
) -> Envelope:
    """``participant.added`` or ``participant.removed``."""
    return _envelope(
        event_type,
        account_id,
        conversation_id,
        [*_agents([agent_id, assignee_id]), SUPERVISORS],
        {"conversation_id": str(conversation_id), "agent_id": str(agent_id), "kind": kind},
    )


def agent_updated(agent: Agent, changed: Iterable[str]) -> Envelope:
    """The agent's directory entry changed (role, activation, capacity)."""
    return _envelope(
        "agent.updated",
        agent.account_id,
        agent.id,
        [Audience.agent(agent.id), Audience.role("admin")],
        {
            "agent_id": str(agent.id),
            "name": agent.name,
            "email": agent.email,
            "role": agent.role,
            "active": agent.active,
            "capacity": agent.capacity,
            "changed": sorted(changed),
        },
    )


def session_revoked(agent: Agent, *, reason: str, family_id: str | None = None) -> Envelope:
    """Tokens of the agent (all of them, or one login's family) stopped working: his sockets
    are closed, to reconnect after a refresh (or a new login)."""
    return _envelope(
        "session.revoked",
        agent.account_id,
        agent.id,
        [Audience.agent(agent.id)],
        {
            "agent_id": str(agent.id),
            "reason": reason,
            "session_version": agent.session_version,
            "family_id": family_id,
        },
    )


def inbox_membership(event_type: str, account_id: UUID, inbox_id: UUID, agent_id: UUID) -> Envelope:
    """``inbox.member_added`` / ``inbox.member_removed``: what the agent may see changed."""
    return _envelope(
        event_type,
        account_id,
        inbox_id,
        [Audience.agent(agent_id), Audience.role("admin")],
        {"inbox_id": str(inbox_id), "agent_id": str(agent_id)},
    )
