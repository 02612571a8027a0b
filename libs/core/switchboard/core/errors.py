"""One error shape for every 4xx and 5xx: ``{"error": {"code", "message", "details"}}``.

An error is a class: it names the code and the HTTP status, and gives the message unless the
raise says more (``raise InvalidCursor()``, ``raise SessionRevoked("this login has ended")``).
Each service keeps its own in ``switchboard.<service>.errors``; ``docs/errors.md`` and the
error responses of the OpenAPI are written from the classes. Exception tree::

    AppError                   500 internal_error (a bug)
     ├── BadRequest            400 bad_request
     │    └── InvalidCursor        invalid_cursor
     ├── Unauthorized          401 unauthorized
     │    ├── InvalidToken         invalid_token
     │    ├── TokenExpired         token_expired
     │    ├── SessionChanged       session_changed
     │    └── SessionRevoked       session_revoked
     ├── Forbidden             403 forbidden
     ├── NotFound              404 not_found
     ├── MethodNotAllowed      405 method_not_allowed
     ├── Conflict              409 conflict
     ├── PayloadTooLarge       413 payload_too_large
     ├── UnsupportedMediaType  415 unsupported_media_type
     ├── Unprocessable         422 validation_error
     │    └── InvalidText          invalid_text
     ├── TooManyRequests       429 rate_limited, with Retry-After
     └── ServiceUnavailable    503 service_unavailable, always with Retry-After
          ├── DatabaseUnavailable  database_unavailable
          ├── RedisUnavailable     redis_unavailable
          └── UpstreamUnavailable  upstream_unavailable: a service this one calls over HTTP

A failure that means PostgreSQL or Redis is out of reach (see ``switchboard.core.outages``)
answers 503 with ``Retry-After``, not 500: the client should try again, and the transaction
that failed rolled back, so nothing was half-written.
"""

from __future__ import annotations

from typing import Any, ClassVar

import structlog
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from switchboard.contracts.text import INVALID_TEXT
from switchboard.core.outages import OUTAGE_TYPES, Dependency, unreachable

__all__ = [
    "AppError",
    "BadRequest",
    "Conflict",
    "ConversationNotFound",
    "DatabaseUnavailable",
    "Forbidden",
    "InboxNotFound",
    "InvalidCursor",
    "InvalidText",
    "InvalidToken",
    "MethodNotAllowed",
    "NotFound",
    "PayloadTooLarge",
    "RedisUnavailable",
    "ServiceUnavailable",
    "SessionChanged",
    "SessionRevoked",
    "TokenExpired",
    "TooManyRequests",
    "Unauthorized",
    "Unprocessable",
    "UnsupportedMediaType",
    "UpstreamUnavailable",
    "allowed_methods",
    "error_body",
    "error_response",
    "install_error_handlers",
    "unavailable",
]

log = structlog.get_logger(__name__)


class AppError(Exception):
    """An answer in the one error shape; a bare one is a bug (500)."""

    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"
    message: str = "internal server error"

    def __init__(
        self,
        message: str | None = None,
        *,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)
        self.details = details
        self.headers = headers


class BadRequest(AppError):
    status_code = 400
    code = "bad_request"
    message = "the request is not valid"


class InvalidCursor(BadRequest):
    code = "invalid_cursor"
    message = "the cursor is not valid"


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"
    message = "send 'Authorization: Bearer <token>'"


class InvalidToken(Unauthorized):
    code = "invalid_token"
    message = "the token is not valid"


class TokenExpired(Unauthorized):
    code = "token_expired"
    message = "the token has expired"


class SessionChanged(Unauthorized):
    code = "session_changed"
    message = "your access changed since this token was issued: refresh it or log in again"


class SessionRevoked(Unauthorized):
    code = "session_revoked"
    message = "this session was logged out"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"
    message = "the role does not allow it"


class NotFound(AppError):
    status_code = 404
    code = "not_found"
    message = "not found"


# The two things more than one service answers for (chat owns them, routing projects them and
# the access rule of core guards conversations): one code each, wherever it is raised.
class ConversationNotFound(NotFound):
    code = "conversation_not_found"
    message = "no such conversation"


class InboxNotFound(NotFound):
    code = "inbox_not_found"
    message = "no such inbox"


# Codes two services answer with (chat's quick replies name routing's teams; chat's list and
# analytics take time ranges): one class each, so one code has one status.
class TeamNotFound(NotFound):
    code = "team_not_found"
    message = "no such team"


class InvalidRange(BadRequest):
    code = "invalid_range"
    message = "the range starts after it ends"


class MethodNotAllowed(AppError):
    status_code = 405
    code = "method_not_allowed"
    message = "method not allowed"


class Conflict(AppError):
    status_code = 409
    code = "conflict"
    message = "conflicts with the current state"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"
    message = "the request body is too large"


class UnsupportedMediaType(AppError):
    status_code = 415
    code = "unsupported_media_type"
    message = "unsupported media type"


class Unprocessable(AppError):
    status_code = 422
    code = "validation_error"
    message = "the request does not fit"


class InvalidText(Unprocessable):
    code = INVALID_TEXT
    message = "a text holds a NUL character or a lone surrogate"


class TooManyRequests(AppError):
    """Slow down: ``Retry-After`` says after how many seconds the next try may succeed."""

    status_code = 429
    code = "rate_limited"
    message = "too many requests"

    def __init__(self, message: str | None = None, *, retry_after: int) -> None:
        super().__init__(
            message,
            details={"retry_after": retry_after},
            headers={"Retry-After": str(retry_after)},
        )


class ServiceUnavailable(AppError):
    """Something this service needs is out of reach for now: retry after a moment."""

    status_code = 503
    code = "service_unavailable"
    message = "a service this one needs did not answer; try again shortly"


class DatabaseUnavailable(ServiceUnavailable):
    code = "database_unavailable"
    message = "the database is not reachable; try again shortly"


class RedisUnavailable(ServiceUnavailable):
    code = "redis_unavailable"
    message = "Redis is not reachable; try again shortly"


class UpstreamUnavailable(ServiceUnavailable):
    """A service this one calls over HTTP did not answer (``status`` None, the cause
    chained), or failed to (a 5xx ``status``); a client of one service subclasses it with a
    code of its own."""

    code = "upstream_unavailable"
    message = "a service this one calls is not reachable; try again shortly"

    def __init__(
        self,
        message: str | None = None,
        *,
        url: str | None = None,
        status: int | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message, details=details)
        self.url = url
        self.status = status


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


_OUTAGES: dict[Dependency, type[ServiceUnavailable]] = {
    "database": DatabaseUnavailable,
    "redis": RedisUnavailable,
    "network": ServiceUnavailable,
}


def unavailable(exc: BaseException) -> ServiceUnavailable | None:
    """The 503 that ``exc`` means when it says a dependency is out of reach, else None."""
    dependency = unreachable(exc)
    return None if dependency is None else _OUTAGES[dependency]()


def error_response(exc: AppError, *, retry_after_seconds: int = 2) -> JSONResponse:
    """``exc`` in the one error shape with its headers; a 503 also says when to try again
    (``Retry-After``)."""
    headers = dict(exc.headers or {})
    if exc.status_code == 503:
        headers.setdefault("Retry-After", str(retry_after_seconds))
    return JSONResponse(
        error_body(exc.code, exc.message, exc.details),
        status_code=exc.status_code,
        headers=headers or None,
    )


# Starlette's and FastAPI's own HTTP errors (no route, a method the path has not, a body that
# does not parse, ...) answer with the code of our class of their status.
_HTTP_ERRORS: dict[int, type[AppError]] = {
    kind.status_code: kind
    for kind in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        Conflict,
        PayloadTooLarge,
        UnsupportedMediaType,
        TooManyRequests,
    )
}


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")}
        for err in exc.errors()
    ]


def allowed_methods(request: Request) -> list[str]:
    """Every method the app answers at the request's path, OPTIONS included.

    Starlette's own 405 names the methods of the first route of the path only (``GET`` and
    ``POST`` of one path are two routes).
    """
    methods = {"OPTIONS"}
    for route in iter_route_contexts(request.app.routes):
        if route.methods and route.matches(request.scope)[0] != Match.NONE:
            methods |= route.methods
    return sorted(methods)


def install_error_handlers(app: FastAPI, *, retry_after_seconds: int = 2) -> None:
    """Render every error of ``app`` in the one error shape; an unreachable database or Redis
    as 503 with ``Retry-After: retry_after_seconds``."""

    async def app_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AppError)
        return error_response(exc, retry_after_seconds=retry_after_seconds)

    async def validation_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        details = _validation_details(exc)
        first = details[0] if details else {"loc": [], "msg": "invalid request", "type": ""}
        where = ".".join(str(part) for part in first["loc"][1:]) or "body"
        # Unusable text (NUL, a lone surrogate) has a code of its own: a client can tell it.
        kind = InvalidText if first["type"] == INVALID_TEXT else Unprocessable
        return error_response(kind(f"{where}: {first['msg']}", details=details))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {"Allow": ", ".join(allowed_methods(request))}
            if request.method == "OPTIONS":
                return Response(status_code=204, headers=headers)
        kind = _HTTP_ERRORS.get(exc.status_code)
        code = kind.code if kind is not None else "http_error"
        return JSONResponse(
            error_body(code, str(exc.detail)), status_code=exc.status_code, headers=headers
        )

    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        if (outage := unavailable(exc)) is not None:
            log.warning("dependency_unavailable", code=outage.code, error=repr(exc))
            return error_response(outage, retry_after_seconds=retry_after_seconds)
        log.exception("unhandled_error", error=repr(exc))
        return error_response(AppError())

    app.add_exception_handler(AppError, app_error)
    # Also per type, not only as the catch-all: Starlette re-raises what reaches the catch-all
    # (a traceback per request), and an outage is not a bug.
    for kind in OUTAGE_TYPES:
        app.add_exception_handler(kind, unexpected)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
