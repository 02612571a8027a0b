"""The socket protocol: one JSON frame shape both ways, requests validated per action.

Client request:  {"type": "request", "request_id": str, "action": str, "payload": {...}}
Response:        {"type": "response", "request_id", "action", "ok": true, "payload": {...}}
                 {"type": "response", "request_id", "action", "ok": false,
                  "error": {"code", "message"}}
Push:            {"type": "event", "id": <push stream id>, "event": <type>, "data": {...},
                  "request_id"?: only on pushes the connection's own request caused}
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

import orjson
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StrictBool,
    StrictStr,
    Tag,
    ValidationError,
    field_validator,
)

from switchboard.contracts import messages as kinds
from switchboard.gateway.domain.stream_ids import parse_stream_id

__all__ = [
    "ACTION_PAYLOADS",
    "AcceptOfferPayload",
    "AcceptTransferPayload",
    "ErrorCode",
    "FrameError",
    "LoginPayload",
    "MarkReadPayload",
    "PingPayload",
    "RejectTransferPayload",
    "RequestFrame",
    "ResumePayload",
    "SendMessagePayload",
    "SendText",
    "SetAvailabilityPayload",
    "SetAwayPayload",
    "TypingPayload",
    "origin_of",
    "parse_payload",
    "parse_request",
    "push_frame",
    "response_error",
    "response_ok",
]


class ErrorCode(StrEnum):
    bad_frame = "bad_frame"
    unknown_action = "unknown_action"
    invalid_payload = "invalid_payload"
    not_logged_in = "not_logged_in"
    already_logged_in = "already_logged_in"
    invalid_token = "invalid_token"
    token_expired = "token_expired"
    session_changed = "session_changed"
    session_revoked = "session_revoked"
    wrong_socket = "wrong_socket"
    forbidden = "forbidden"
    resync_required = "resync_required"
    upstream_unavailable = "upstream_unavailable"
    rate_limited = "rate_limited"


class FrameError(Exception):
    """A request that cannot be served; answered with ``ok: false``, the socket stays open."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        request_id: str | None = None,
        action: str | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.request_id = request_id
        self.action = action
        self.details = details


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RequestFrame(_Strict):
    type: Literal["request"]
    request_id: StrictStr = Field(min_length=1, max_length=200)
    action: StrictStr = Field(min_length=1, max_length=100)
    payload: dict[str, Any] = Field(default_factory=dict)


class LoginPayload(_Strict):
    token: StrictStr = Field(min_length=1)


class PingPayload(_Strict):
    pass


class _Send(_Strict, kinds.AgentSendOptions):
    """What every send_message payload says besides its message: the conversation, and an
    agent's options (read from anyone; the action refuses them to a visitor)."""

    conversation_id: UUID


class SendText(_Send, kinds.AgentTextMessage):
    """Text, or uploads (``attachment_ids``: POST .../attachments first), or both; or an
    agent's quick reply (``canned_response_id``: chat fills it)."""

    content: StrictStr = ""  # the socket's: empty, not absent, beside uploads or a reply


class SendCard(_Send, kinds.CardMessage):
    pass


class SendProduct(_Send, kinds.ProductMessage):
    pass


class SendVoucher(_Send, kinds.VoucherMessage):
    pass


class SendOrder(_Send, kinds.OrderMessage):
    pass


class SendLocation(_Send, kinds.LocationMessage):
    pass


SentKind = Annotated[
    Annotated[SendText, Tag("text")]
    | Annotated[SendCard, Tag("card")]
    | Annotated[SendProduct, Tag("product")]
    | Annotated[SendVoucher, Tag("voucher")]
    | Annotated[SendOrder, Tag("order")]
    | Annotated[SendLocation, Tag("location")],
    kinds.by_kind(kinds.KINDS),
]


class SendMessagePayload(RootModel[SentKind]):
    """A text, or a structured kind's payload (``switchboard.contracts.messages``), by
    ``kind`` (absent: a text); visitors send a text or a location."""

    model_config = ConfigDict(frozen=True)


class TypingPayload(_Strict):
    conversation_id: UUID
    typing: StrictBool


class MarkReadPayload(_Strict):
    conversation_id: UUID
    message_id: UUID | None = None  # absent: up to the latest


class SetAvailabilityPayload(_Strict):
    status: Literal["online", "busy", "offline"]
    accept_auto_assign: StrictBool | None = None


class SetAwayPayload(_Strict):
    away: StrictBool


class AcceptOfferPayload(_Strict):
    offer_id: UUID


class AcceptTransferPayload(_Strict):
    transfer_id: UUID


class RejectTransferPayload(_Strict):
    transfer_id: UUID
    reason: StrictStr | None = Field(default=None, max_length=500)


class ResumePayload(_Strict):
    last_event_id: StrictStr

    @field_validator("last_event_id")
    @classmethod
    def _is_stream_id(cls, value: str) -> str:
        parse_stream_id(value)
        return value


# The protocol's actions, each with its payload; each is handled once (service/actions/table.py).
ACTION_PAYLOADS: dict[str, type[BaseModel]] = {
    "login": LoginPayload,
    "ping": PingPayload,
    "send_message": SendMessagePayload,
    "typing": TypingPayload,
    "mark_read": MarkReadPayload,
    "set_availability": SetAvailabilityPayload,
    "set_away": SetAwayPayload,
    "accept_offer": AcceptOfferPayload,
    "accept_transfer": AcceptTransferPayload,
    "reject_transfer": RejectTransferPayload,
    "resume": ResumePayload,
}


def parse_request(text: str | bytes) -> RequestFrame:
    """The request in ``text``; ``FrameError(bad_frame)`` (with the request id if readable)."""
    try:
        raw = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise FrameError(ErrorCode.bad_frame, "the frame is not JSON") from exc
    if not isinstance(raw, dict):
        raise FrameError(ErrorCode.bad_frame, "the frame must be a JSON object")
    request_id = raw.get("request_id") if isinstance(raw.get("request_id"), str) else None
    action = raw.get("action") if isinstance(raw.get("action"), str) else None
    try:
        return RequestFrame.model_validate(raw)
    except ValidationError as exc:
        raise FrameError(
            ErrorCode.bad_frame,
            _first_error(exc),
            request_id=request_id,
            action=action,
            details=_details(exc),
        ) from exc


def parse_payload(request: RequestFrame) -> BaseModel:
    """The validated payload of ``request``; ``unknown_action`` or ``invalid_payload``."""
    model = ACTION_PAYLOADS.get(request.action)
    if model is None:
        raise FrameError(
            ErrorCode.unknown_action,
            f"there is no action {request.action!r}",
            request_id=request.request_id,
            action=request.action,
        )
    try:
        return model.model_validate(request.payload)
    except ValidationError as exc:
        raise FrameError(
            ErrorCode.invalid_payload,
            _first_error(exc),
            request_id=request.request_id,
            action=request.action,
            details=_details(exc),
        ) from exc


def _details(exc: ValidationError) -> list[dict[str, Any]]:
    return [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "frame"
    return f"{where}: {first['msg']}"


def response_ok(request_id: str | None, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "response",
        "request_id": request_id,
        "action": action,
        "ok": True,
        "payload": payload,
    }


def response_error(
    request_id: str | None,
    action: str | None,
    code: str,
    message: str,
    details: Any = None,
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {
        "type": "response",
        "request_id": request_id,
        "action": action,
        "ok": False,
        "error": error,
    }


def origin_of(connection_id: str, request_id: str) -> str:
    """The envelope ``origin`` of an event a connection's request caused."""
    return f"{connection_id}:{request_id}"


def push_frame(
    entry_id: str,
    event_type: str,
    data: dict[str, Any],
    *,
    origin: str | None,
    connection_id: str,
) -> dict[str, Any]:
    """The push of one event; ``request_id`` only when this connection's request caused it."""
    frame: dict[str, Any] = {"type": "event", "id": entry_id, "event": event_type, "data": data}
    if origin is not None:
        owner, _, request_id = origin.partition(":")
        if owner == connection_id and request_id:
            frame["request_id"] = request_id
    return frame
