"""Events that change the connections themselves, not only what they hear.

- ``session.revoked``: the agent's (or visitor's) tokens stopped working; his sockets are
  closed: ``4401 session_changed`` (refresh the token, then reconnect) when an agent's session
  version moved on, ``4403 session_revoked`` (log in again) when his login was ended, he was
  deactivated (he cannot log in again either) or a visitor's sessions were revoked;
- ``inbox.member_added`` / ``inbox.member_removed``: the agent's live sockets start or stop
  hearing the inbox at once.

They still reach the client as pushes first (the close comes after the frames already queued).
"""

from __future__ import annotations

import structlog
from pydantic import ValidationError

from switchboard.contracts.chat import VisitorSessionRevoked
from switchboard.contracts.routing import (
    AgentSessionRevoked,
    InboxMemberAdded,
    InboxMemberRemoved,
)
from switchboard.core.events import Audience, Envelope
from switchboard.gateway.domain.audience import connection_audience
from switchboard.gateway.service.connection import CloseCode, Connection
from switchboard.gateway.service.hub import Hub

__all__ = ["CONTROL_EVENTS", "apply_control"]

log = structlog.get_logger(__name__)

CONTROL_EVENTS = frozenset(
    model.type
    for model in (AgentSessionRevoked, VisitorSessionRevoked, InboxMemberAdded, InboxMemberRemoved)
)


def apply_control(hub: Hub, envelope: Envelope) -> None:
    try:
        _apply(hub, envelope)
    except ValidationError as exc:  # a producer's bug: the other pushes still go out
        log.warning("control_event_unreadable", event_id=envelope.id, error=str(exc))


def _apply(hub: Hub, envelope: Envelope) -> None:
    if envelope.is_a(AgentSessionRevoked):
        agent = envelope.payload(AgentSessionRevoked)
        _end_sessions(hub, envelope, Audience.agent(agent.agent_id), agent)
    elif envelope.is_a(VisitorSessionRevoked):
        visitor = envelope.payload(VisitorSessionRevoked)
        _end_sessions(hub, envelope, Audience.visitor(visitor.visitor_id), visitor)
    elif envelope.is_a(InboxMemberAdded):
        _change_inboxes(hub, envelope, envelope.payload(InboxMemberAdded), added=True)
    elif envelope.is_a(InboxMemberRemoved):
        _change_inboxes(hub, envelope, envelope.payload(InboxMemberRemoved), added=False)


def _owned_by(hub: Hub, envelope: Envelope, principal: str) -> list[Connection]:
    return hub.connections_of(envelope.account_id, principal)


def _end_sessions(
    hub: Hub,
    envelope: Envelope,
    principal: str,
    revoked: AgentSessionRevoked | VisitorSessionRevoked,
) -> None:
    family, version = revoked.family_id, revoked.session_version
    for connection in _owned_by(hub, envelope, principal):
        session = connection.principal
        if session is None:
            continue
        if family is not None and session.family == family:
            connection.close(CloseCode.unauthorized, "session_revoked")
        elif family is None and session.session_version < version:
            # A deactivated agent cannot refresh: telling him to would only loop.
            if connection.kind == "visitor" or revoked.reason == "deactivated":
                connection.close(CloseCode.unauthorized, "session_revoked")
            else:
                connection.close(CloseCode.token_expired, "session_changed")


def _change_inboxes(
    hub: Hub,
    envelope: Envelope,
    membership: InboxMemberAdded | InboxMemberRemoved,
    *,
    added: bool,
) -> None:
    inbox_id = str(membership.inbox_id)
    for connection in _owned_by(hub, envelope, Audience.agent(membership.agent_id)):
        principal = connection.principal
        if principal is None or connection.kind != "agent":
            continue
        inboxes = [known for known in connection.inbox_ids if known != inbox_id]
        if added:
            inboxes.append(inbox_id)
        hub.remove(connection)
        connection.inbox_ids = inboxes
        connection.audience = connection_audience(
            "agent",
            str(principal.id),
            role=principal.role.value if principal.role else None,
            inbox_ids=inboxes,
        )
        hub.add(connection)
