"""Events that change the connections themselves, not only what they hear.

- ``session.revoked``: the agent's (or visitor's) tokens stopped working; his sockets are
  closed: ``4401 session_changed`` (refresh the token, then reconnect) when an agent's session
  version moved on, ``4403 session_revoked`` (log in again) when his login was ended or a
  visitor's sessions were revoked;
- ``inbox.member_added`` / ``inbox.member_removed``: the agent's live sockets start or stop
  hearing the inbox at once.

They still reach the client as pushes first (the close comes after the frames already queued).
"""

from __future__ import annotations

from switchboard.core.events import Audience, Envelope
from switchboard.gateway.domain.audience import connection_audience
from switchboard.gateway.service.connection import CloseCode, Connection
from switchboard.gateway.service.hub import Hub

__all__ = ["CONTROL_EVENTS", "apply_control"]

CONTROL_EVENTS = frozenset({"session.revoked", "inbox.member_added", "inbox.member_removed"})


def apply_control(hub: Hub, envelope: Envelope) -> None:
    if envelope.type == "session.revoked":
        _end_sessions(hub, envelope)
    elif envelope.type in ("inbox.member_added", "inbox.member_removed"):
        _change_inboxes(hub, envelope, added=envelope.type == "inbox.member_added")


def _owned_by(hub: Hub, envelope: Envelope, principal: str) -> list[Connection]:
    return hub.connections_of(envelope.account_id, principal)


def _end_sessions(hub: Hub, envelope: Envelope) -> None:
    data = envelope.data
    if data.get("visitor_id"):
        principal = Audience.visitor(data["visitor_id"])
    else:
        principal = Audience.agent(data.get("agent_id"))
    family, version = data.get("family_id"), int(data.get("session_version") or 0)
    for connection in _owned_by(hub, envelope, principal):
        session = connection.principal
        if session is None:
            continue
        if family is not None and session.family == family:
            connection.close(CloseCode.unauthorized, "session_revoked")
        elif family is None and session.session_version < version:
            if connection.kind == "visitor":
                connection.close(CloseCode.unauthorized, "session_revoked")
            else:
                connection.close(CloseCode.token_expired, "session_changed")


def _change_inboxes(hub: Hub, envelope: Envelope, *, added: bool) -> None:
    inbox_id = str(envelope.data.get("inbox_id"))
    for connection in _owned_by(hub, envelope, Audience.agent(envelope.data.get("agent_id"))):
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
