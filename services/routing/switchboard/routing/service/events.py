"""The envelopes routing publishes (see the event catalogue in docs/architecture.md)."""

from __future__ import annotations

from uuid import UUID

from switchboard.core.events import Audience, Envelope
from switchboard.routing.store.models import Agent

SOURCE = "routing"


def agent_created(agent: Agent) -> Envelope:
    return Envelope(
        type="agent.created",
        account_id=str(agent.account_id),
        source=SOURCE,
        key=str(agent.id),
        audience=[Audience.role("admin")],
        data={
            "agent_id": str(agent.id),
            "name": agent.name,
            "email": agent.email,
            "role": agent.role,
        },
    )


def availability_changed(agent: Agent) -> Envelope:
    return Envelope(
        type="agent.availability_changed",
        account_id=str(agent.account_id),
        source=SOURCE,
        key=str(agent.id),
        audience=[Audience.agent(agent.id), Audience.role("supervisor")],
        data={
            "agent_id": str(agent.id),
            "status": agent.status,
            "accept_auto_assign": agent.accept_auto_assign,
        },
    )


def assignment_created(
    *, account_id: UUID, conversation_id: UUID, inbox_id: UUID, agent_id: UUID
) -> Envelope:
    return Envelope(
        type="assignment.created",
        account_id=str(account_id),
        source=SOURCE,
        key=str(conversation_id),
        audience=[],
        data={
            "conversation_id": str(conversation_id),
            "inbox_id": str(inbox_id),
            "agent_id": str(agent_id),
            "previous_agent_id": None,
        },
    )
