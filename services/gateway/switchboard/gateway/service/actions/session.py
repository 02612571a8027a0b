"""Who a socket is: ``login`` (by frame or query string), ``ping``, and the end of a socket.

A login sets the connection's principal, token, inboxes and audience, re-indexes it in the hub,
arms the token's expiry and, for an agent's first login, counts it present.
"""

from __future__ import annotations

import time

import jwt
import structlog

from switchboard.core.auth import Principal, check_session, principal_from_token
from switchboard.core.errors import Unauthorized
from switchboard.core.events import utcnow
from switchboard.gateway.domain.audience import connection_audience
from switchboard.gateway.domain.frames import (
    ErrorCode,
    FrameError,
    LoginPayload,
    PingPayload,
)
from switchboard.gateway.service.actions.parts import ActionParts, Answer
from switchboard.gateway.service.actions.table import ActionRouter, Call
from switchboard.gateway.service.connection import Connection

__all__ = ["disconnected", "log_in", "router"]

log = structlog.get_logger(__name__)

router = ActionRouter()


@router.action(LoginPayload)
async def login(call: Call[LoginPayload]) -> Answer:
    return await log_in(call.parts, call.connection, call.payload.token)


@router.action(PingPayload)
async def ping(_: Call[PingPayload]) -> Answer:
    return {"pong": True, "time": utcnow().isoformat()}


async def log_in(parts: ActionParts, connection: Connection, token: str) -> Answer:
    principal = await _principal_of(parts, connection, token)
    first = connection.principal is None
    expires_at = float(jwt.decode(token, options={"verify_signature": False})["exp"])
    inbox_ids = await _inbox_ids(parts, token) if principal.kind == "agent" else []
    parts.hub.remove(connection)
    connection.principal, connection.token, connection.inbox_ids = principal, token, inbox_ids
    connection.audience = connection_audience(
        principal.kind,
        str(principal.id),
        role=principal.role.value if principal.role else None,
        inbox_ids=inbox_ids,
    )
    parts.hub.add(connection)
    connection.expire_at(expires_at - time.time())
    if principal.kind == "agent" and first:
        await parts.presence.connected(connection)
    return {
        "connection_id": connection.id,
        "kind": principal.kind,
        "id": str(principal.id),
        "account_id": str(principal.account_id),
        "role": principal.role.value if principal.role else None,
        "inbox_ids": inbox_ids,
        "expires_at": expires_at,
    }


async def _principal_of(parts: ActionParts, connection: Connection, token: str) -> Principal:
    """Who the token is, if its session holds, it fits this socket and the socket is not
    logged in as another already (a new token of the same principal is fine)."""
    try:
        principal = principal_from_token(parts.settings, token)
        await check_session(parts.sessions, principal)
    except Unauthorized as exc:
        raise FrameError(exc.code, exc.message) from exc
    if principal.kind != connection.kind:
        raise FrameError(
            ErrorCode.wrong_socket,
            f"this socket is for {connection.kind}s, not {principal.kind}s",
        )
    previous = connection.principal
    if previous is not None and (previous.id, previous.account_id) != (
        principal.id,
        principal.account_id,
    ):
        raise FrameError(ErrorCode.already_logged_in, "this socket is logged in as another")
    return principal


async def _inbox_ids(parts: ActionParts, token: str) -> list[str]:
    """The agent's inboxes from routing; none (and a warning) when routing is unreachable."""
    url = f"{parts.settings.service_url('routing')}/v1/me"
    try:
        me = await parts.services.call("GET", url, token=token)
        return [str(inbox_id) for inbox_id in me.get("inbox_ids", [])]
    except Exception as exc:
        log.warning("agent_inboxes_unknown", error=repr(exc))
        return []


async def disconnected(parts: ActionParts, connection: Connection) -> None:
    connection.cancel_expiry()
    parts.hub.remove(connection)
    if connection.kind == "agent" and connection.logged_in:
        try:
            await parts.presence.disconnected(connection)
        except Exception as exc:
            log.warning("presence_disconnect_failed", error=repr(exc))
