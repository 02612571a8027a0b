"""The socket actions: each takes the connection and its validated payload, returns the
response payload or raises ``FrameError``."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import jwt
import structlog
from redis.exceptions import ResponseError

from switchboard.contracts.gateway import TypingChanged
from switchboard.core.auth import check_session, principal_from_token
from switchboard.core.errors import Unauthorized
from switchboard.core.events import Envelope, utcnow
from switchboard.core.outages import unreachable
from switchboard.gateway.domain.audience import connection_audience, typing_audience
from switchboard.gateway.domain.frames import (
    AcceptOfferPayload,
    AcceptTransferPayload,
    ErrorCode,
    FrameError,
    LoginPayload,
    RejectTransferPayload,
    RequestFrame,
    ResumePayload,
    SendMessagePayload,
    SetAvailabilityPayload,
    SetAwayPayload,
    TypingPayload,
    origin_of,
    parse_payload,
    parse_request,
    response_error,
    response_ok,
)
from switchboard.gateway.domain.stream_ids import needs_resync
from switchboard.gateway.service.connection import CloseCode, Connection
from switchboard.gateway.service.upstream import call_service

if TYPE_CHECKING:
    from switchboard.gateway.service.gateway import Gateway

__all__ = ["Actions"]

log = structlog.get_logger(__name__)

Action = Callable[[Connection, RequestFrame, Any], Awaitable[dict[str, Any]]]
ORIGIN_HEADER = "X-Switchboard-Origin"
# A refused login closes the socket: the client must not go on with a bad token.
# A socket refused this many bursts' worth of requests in a row is closed (4029).
_FLOOD_REFUSALS = 4
_LOGIN_CLOSES = {
    ErrorCode.invalid_token: (CloseCode.unauthorized, "invalid_token"),
    ErrorCode.session_revoked: (CloseCode.unauthorized, "session_revoked"),
    ErrorCode.session_changed: (CloseCode.token_expired, "session_changed"),
    ErrorCode.wrong_socket: (CloseCode.unauthorized, "wrong_socket"),
    ErrorCode.token_expired: (CloseCode.token_expired, "token_expired"),
}


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class Actions:
    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.table: dict[str, Action] = {
            "login": self.login,
            "ping": self.ping,
            "send_message": self.send_message,
            "typing": self.typing,
            "set_availability": self.set_availability,
            "set_away": self.set_away,
            "accept_offer": self.accept_offer,
            "accept_transfer": self.accept_transfer,
            "reject_transfer": self.reject_transfer,
            "resume": self.resume,
        }

    async def handle_frame(self, connection: Connection, text: str | bytes) -> None:
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
                connection.refused_in_a_row
                > _FLOOD_REFUSALS * self.gateway.settings.ws_request_burst
            ):
                connection.close(CloseCode.rate_limited, "rate_limited")
            return
        connection.send(response_ok(request.request_id, request.action, result))

    def _throttle(self, connection: Connection) -> None:
        """Refuse a request beyond the socket's rate at once (answered, never queued)."""
        settings = self.gateway.settings
        if not connection.allow_request(settings.ws_requests_per_second, settings.ws_request_burst):
            raise FrameError(
                ErrorCode.rate_limited,
                f"at most {settings.ws_requests_per_second:g} requests a second on one socket:"
                " slow down",
                details={"retry_after_ms": math.ceil(1000 / settings.ws_requests_per_second)},
            )

    async def _perform(
        self, connection: Connection, request: RequestFrame, payload: Any
    ) -> dict[str, Any]:
        """The action's result; Redis (or a service) out of reach is ``upstream_unavailable``,
        and the socket stays open for the client to try again."""
        try:
            return await self.table[request.action](connection, request, payload)
        except FrameError:
            raise
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
            result = await self._login(connection, token)
        except FrameError as error:
            connection.send(response_error(None, "login", error.code, error.message))
            connection.close(*_LOGIN_CLOSES.get(ErrorCode(error.code), (4400, error.code)))
            return
        connection.send(response_ok(None, "login", result))

    async def login(
        self, connection: Connection, _: RequestFrame, payload: LoginPayload
    ) -> dict[str, Any]:
        return await self._login(connection, payload.token)

    async def _login(self, connection: Connection, token: str) -> dict[str, Any]:
        gateway = self.gateway
        try:
            principal = principal_from_token(gateway.settings, token)
            await check_session(gateway.runtime.sessions, principal)
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
        expires_at = float(jwt.decode(token, options={"verify_signature": False})["exp"])
        inbox_ids = await self._inbox_ids(token) if principal.kind == "agent" else []
        gateway.hub.remove(connection)
        connection.principal, connection.token, connection.inbox_ids = principal, token, inbox_ids
        connection.audience = connection_audience(
            principal.kind,
            str(principal.id),
            role=principal.role.value if principal.role else None,
            inbox_ids=inbox_ids,
        )
        gateway.hub.add(connection)
        connection.expire_at(expires_at - time.time())
        if principal.kind == "agent" and previous is None:
            await gateway.presence.connected(connection)
        return {
            "connection_id": connection.id,
            "kind": principal.kind,
            "id": str(principal.id),
            "account_id": str(principal.account_id),
            "role": principal.role.value if principal.role else None,
            "inbox_ids": inbox_ids,
            "expires_at": expires_at,
        }

    async def _inbox_ids(self, token: str) -> list[str]:
        """The agent's inboxes from routing; none (and a warning) when routing is unreachable."""
        url = f"{self.gateway.settings.service_url('routing')}/v1/me"
        try:
            me = await call_service(self.gateway.services, "GET", url, token=token)
            return [str(inbox_id) for inbox_id in me.get("inbox_ids", [])]
        except Exception as exc:
            log.warning("agent_inboxes_unknown", error=repr(exc))
            return []

    async def ping(self, *_: Any) -> dict[str, Any]:
        return {"pong": True, "time": utcnow().isoformat()}

    async def send_message(
        self, connection: Connection, request: RequestFrame, payload: SendMessagePayload
    ) -> dict[str, Any]:
        assert connection.token is not None
        chat = self.gateway.settings.service_url("chat")
        conversation_id = payload.conversation_id
        body: dict[str, Any] = {"content": payload.content}
        if payload.client_message_id is not None:
            body["client_message_id"] = payload.client_message_id
        if connection.kind == "agent":
            url = f"{chat}/v1/conversations/{conversation_id}/messages"
            body["private"] = payload.private
        else:
            if payload.private:
                raise FrameError(ErrorCode.forbidden, "visitors cannot write private notes")
            url = f"{chat}/v1/public/conversations/{conversation_id}/messages"
        result = await call_service(
            self.gateway.services,
            "POST",
            url,
            token=connection.token,
            json=body,
            headers={ORIGIN_HEADER: origin_of(connection.id, request.request_id)},
        )
        return result if isinstance(result, dict) else {"result": result}

    async def typing(
        self, connection: Connection, request: RequestFrame, payload: TypingPayload
    ) -> dict[str, Any]:
        conversation_id = str(payload.conversation_id)
        conversation = await self.gateway.conversations.get(
            self.gateway.services, connection, conversation_id
        )

        def field(name: str) -> str | None:
            value = conversation.get(name)
            return str(value) if value else None

        audience = typing_audience(
            connection.kind,
            inbox_id=field("inbox_id"),
            assignee_id=field("assignee_id"),
            visitor_id=field("visitor_id"),
        )
        news = TypingChanged(
            conversation_id=payload.conversation_id,
            sender_type=connection.kind,
            sender_id=connection.principal_id,
            typing=payload.typing,
        )
        envelope = Envelope.of(
            news,
            account_id=connection.account_id,
            key=conversation_id,
            audience=audience,
            origin=origin_of(connection.id, request.request_id),
        )
        await self.gateway.bus.publish("gateway", envelope)
        return {}

    async def set_availability(
        self, connection: Connection, _: RequestFrame, payload: SetAvailabilityPayload
    ) -> dict[str, Any]:
        self._agents_only(connection)
        assert connection.token is not None
        result = await call_service(
            self.gateway.services,
            "PUT",
            f"{self.gateway.settings.service_url('routing')}/v1/me/availability",
            token=connection.token,
            json=payload.model_dump(exclude_none=True),
        )
        return result if isinstance(result, dict) else {"result": result}

    async def _routing_post(
        self, connection: Connection, request: RequestFrame, path: str, body: Any = None
    ) -> dict[str, Any]:
        """POST to routing with the caller's token; routing's error codes pass through."""
        self._agents_only(connection)
        assert connection.token is not None
        result = await call_service(
            self.gateway.services,
            "POST",
            f"{self.gateway.settings.service_url('routing')}{path}",
            token=connection.token,
            json=body,
            headers={ORIGIN_HEADER: origin_of(connection.id, request.request_id)},
        )
        return result if isinstance(result, dict) else {"result": result}

    async def accept_offer(
        self, connection: Connection, request: RequestFrame, payload: AcceptOfferPayload
    ) -> dict[str, Any]:
        return await self._routing_post(
            connection, request, f"/v1/offers/{payload.offer_id}/accept"
        )

    async def accept_transfer(
        self, connection: Connection, request: RequestFrame, payload: AcceptTransferPayload
    ) -> dict[str, Any]:
        return await self._routing_post(
            connection, request, f"/v1/transfers/{payload.transfer_id}/accept"
        )

    async def reject_transfer(
        self, connection: Connection, request: RequestFrame, payload: RejectTransferPayload
    ) -> dict[str, Any]:
        body = {"reason": payload.reason} if payload.reason is not None else {}
        return await self._routing_post(
            connection, request, f"/v1/transfers/{payload.transfer_id}/reject", body
        )

    async def set_away(
        self, connection: Connection, _: RequestFrame, payload: SetAwayPayload
    ) -> dict[str, Any]:
        self._agents_only(connection)
        connection.away = payload.away
        summary = await self.gateway.presence.away_changed(connection)
        return {"away": connection.away, "online": summary.online}

    async def resume(
        self, connection: Connection, _: RequestFrame, payload: ResumePayload
    ) -> dict[str, Any]:
        redis, stream = self.gateway.bus.redis, self.gateway.push_stream
        try:
            info = {_text(k): v for k, v in (await redis.xinfo_stream(stream)).items()}
        except ResponseError:  # no push stream yet: nothing was ever missed
            return {"replayed": 0}
        first = info.get("first-entry")
        deleted = info.get("max-deleted-entry-id")
        if needs_resync(
            payload.last_event_id,
            first_id=_text(first[0]) if first else None,
            last_generated_id=_text(info.get("last-generated-id", b"0-0")),
            entries_added=int(info.get("entries-added", 0)),
            length=int(info.get("length", 0)),
            max_deleted_id=_text(deleted) if deleted is not None else None,
        ):
            raise FrameError(
                ErrorCode.resync_required,
                "events after this id are no longer retained: reload the state over REST",
            )
        replayed = 0
        start = f"({payload.last_event_id}"
        connection.begin_resume()
        try:
            while True:
                entries = await redis.xrange(stream, min=start, max="+", count=500)
                if not entries:
                    break
                for entry_id, fields in entries:
                    entry = self.gateway.bus.decode_entry(stream, entry_id, fields)
                    if connection.hears(entry.envelope) and connection.push(
                        entry.entry_id, entry.envelope
                    ):
                        replayed += 1
                start = f"({_text(entries[-1][0])}"
        finally:
            connection.end_resume()
        return {"replayed": replayed}

    @staticmethod
    def _agents_only(connection: Connection) -> None:
        if connection.kind != "agent":
            raise FrameError(ErrorCode.forbidden, "this action is for agents")

    async def disconnected(self, connection: Connection) -> None:
        connection.cancel_expiry()
        self.gateway.hub.remove(connection)
        if connection.kind == "agent" and connection.logged_in:
            try:
                await self.gateway.presence.disconnected(connection)
            except Exception as exc:
                log.warning("presence_disconnect_failed", error=repr(exc))
