"""A socket's requests, served one after another: parsed, throttled, handed to the action's
handler and answered, ``ok`` or with an error code; the socket's login and its end.

The error an answer carries comes from one of three places: the protocol (``FrameError``
raised anywhere), a service (its refusal's own code, or ``upstream_unavailable``), or Redis
out of reach (``upstream_unavailable``); the socket stays open for the client to try again.
Two refusals close it: a refused login (the client must not go on with a bad token), and a
flood (4029, after ``_FLOOD_REFUSALS`` bursts' worth of ``rate_limited`` answers in a row).
"""

from __future__ import annotations

import math

import structlog
from pydantic import BaseModel

from switchboard.core.errors import UpstreamUnavailable
from switchboard.core.outages import unreachable
from switchboard.gateway.domain.frames import (
    ErrorCode,
    FrameError,
    RequestFrame,
    parse_payload,
    parse_request,
    response_error,
    response_ok,
)
from switchboard.gateway.service.actions import (
    answers,
    availability,
    messaging,
    reading,
    resume,
    session,
)
from switchboard.gateway.service.actions.parts import ActionParts, Answer
from switchboard.gateway.service.actions.table import ActionTable, Call
from switchboard.gateway.service.connection import CloseCode, Connection
from switchboard.gateway.service.upstream import UpstreamRefused

__all__ = ["TABLE", "Actions"]

log = structlog.get_logger(__name__)

TABLE = ActionTable(
    session.router,
    messaging.router,
    reading.router,
    availability.router,
    answers.router,
    resume.router,
)
_FLOOD_REFUSALS = 4
_LOGIN_CLOSES = {
    ErrorCode.invalid_token: (CloseCode.unauthorized, "invalid_token"),
    ErrorCode.session_revoked: (CloseCode.unauthorized, "session_revoked"),
    ErrorCode.session_changed: (CloseCode.token_expired, "session_changed"),
    ErrorCode.wrong_socket: (CloseCode.unauthorized, "wrong_socket"),
    ErrorCode.token_expired: (CloseCode.token_expired, "token_expired"),
}


class Actions:
    """What a socket's reader hands over: its login by query string, its frames, its end."""

    def __init__(self, parts: ActionParts, table: ActionTable = TABLE) -> None:
        self.parts = parts
        self.table = table

    async def handle_frame(self, connection: Connection, text: str | bytes) -> None:
        """Answer one frame of the socket (and close it when the refusal says so)."""
        request: RequestFrame | None = None
        try:
            request = parse_request(text)
            self._throttle(connection)
            payload = parse_payload(request)
            if request.action not in ("login", "ping") and not connection.logged_in:
                raise FrameError(ErrorCode.not_logged_in, "log in first (action 'login')")
            result = await self._perform(connection, request, payload)
        except FrameError as error:
            request_id = request.request_id if request else error.request_id
            action = request.action if request else error.action
            connection.send(
                response_error(request_id, action, error.code, error.message, error.details)
            )
            if action == "login" and error.code in _LOGIN_CLOSES:
                connection.close(*_LOGIN_CLOSES[ErrorCode(error.code)])
            elif (
                connection.refused_in_a_row > _FLOOD_REFUSALS * self.parts.settings.ws_request_burst
            ):
                connection.close(CloseCode.rate_limited, "rate_limited")
            return
        connection.send(response_ok(request.request_id, request.action, result))

    def _throttle(self, connection: Connection) -> None:
        """Refuse a request beyond the socket's rate at once (answered, never queued)."""
        settings = self.parts.settings
        if not connection.allow_request(settings.ws_requests_per_second, settings.ws_request_burst):
            raise FrameError(
                ErrorCode.rate_limited,
                f"at most {settings.ws_requests_per_second:g} requests a second on one socket:"
                " slow down",
                details={"retry_after_ms": math.ceil(1000 / settings.ws_requests_per_second)},
            )

    async def _perform(
        self, connection: Connection, request: RequestFrame, payload: BaseModel
    ) -> Answer:
        """The action's result; a service's refusal keeps its own code (``http_<status>`` when
        it named none), and a service or Redis out of reach is ``upstream_unavailable``."""
        handler = self.table.handler_for(payload)
        try:
            return await handler(Call(self.parts, connection, request, payload))
        except FrameError:
            raise
        except UpstreamRefused as refused:
            code = refused.code or f"http_{refused.status}"
            raise FrameError(code, refused.message, details=refused.details) from refused
        except UpstreamUnavailable as exc:
            cause = repr(exc.__cause__) if exc.__cause__ else None
            log.warning("upstream_call_failed", url=exc.url, status=exc.status, error=cause)
            raise FrameError(ErrorCode.upstream_unavailable, exc.message) from exc
        except Exception as exc:
            dependency = unreachable(exc)
            if dependency is None:
                raise
            log.warning("socket_action_unavailable", action=request.action, error=repr(exc))
            raise FrameError(
                ErrorCode.upstream_unavailable,
                f"{'Redis' if dependency == 'redis' else 'a service'} is not reachable; retry",
            ) from exc

    async def login_from_query(self, connection: Connection, token: str) -> None:
        """``?token=``: logged in before the first frame; answered like a login request."""
        try:
            result = await session.log_in(self.parts, connection, token)
        except FrameError as error:
            connection.send(response_error(None, "login", error.code, error.message))
            connection.close(*_LOGIN_CLOSES.get(ErrorCode(error.code), (4400, error.code)))
            return
        connection.send(response_ok(None, "login", result))

    async def disconnected(self, connection: Connection) -> None:
        await session.disconnected(self.parts, connection)
