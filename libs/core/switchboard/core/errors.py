"""One error shape for every 4xx and 5xx: ``{"error": {"code", "message", "details"}}``.

Exception tree::

    AppError
     ├── BadRequest          400 bad_request
     ├── Unauthorized        401 unauthorized / token_expired
     ├── Forbidden           403 forbidden
     ├── NotFound            404 not_found
     ├── Conflict            409 conflict
     ├── PayloadTooLarge     413 payload_too_large
     ├── Unprocessable       422 validation_error
     ├── TooManyRequests     429 rate_limited (with Retry-After)
     └── ServiceUnavailable  503 service_unavailable / database_unavailable / redis_unavailable,
                             always with Retry-After

A failure that means PostgreSQL or Redis is out of reach (see ``switchboard.core.outages``)
answers 503 with ``Retry-After``, not 500: the client should try again, and the transaction
that failed rolled back, so nothing was half-written.
"""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from switchboard.core.outages import OUTAGE_TYPES, unreachable
from switchboard.core.text import INVALID_TEXT

__all__ = [
    "AppError",
    "BadRequest",
    "Conflict",
    "Forbidden",
    "NotFound",
    "PayloadTooLarge",
    "ServiceUnavailable",
    "TooManyRequests",
    "Unauthorized",
    "Unprocessable",
    "allowed_methods",
    "error_body",
    "error_response",
    "install_error_handlers",
    "unavailable",
]

log = structlog.get_logger(__name__)


class AppError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details
        self.headers = headers


class BadRequest(AppError):
    status_code = 400
    code = "bad_request"


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"


class NotFound(AppError):
    status_code = 404
    code = "not_found"


class Conflict(AppError):
    status_code = 409
    code = "conflict"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"


class Unprocessable(AppError):
    status_code = 422
    code = "validation_error"


class TooManyRequests(AppError):
    """Slow down: ``Retry-After`` says after how many seconds the next try may succeed."""

    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(
            message,
            code=code,
            details={"retry_after": retry_after},
            headers={"Retry-After": str(retry_after)},
        )


class ServiceUnavailable(AppError):
    """Something this service needs is out of reach for now: retry after a moment."""

    status_code = 503
    code = "service_unavailable"


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def unavailable(exc: BaseException) -> ServiceUnavailable | None:
    """The 503 that ``exc`` means when it says a dependency is out of reach, else None."""
    dependency = unreachable(exc)
    if dependency == "database":
        return ServiceUnavailable(
            "the database is not reachable; try again shortly", code="database_unavailable"
        )
    if dependency == "redis":
        return ServiceUnavailable(
            "Redis is not reachable; try again shortly", code="redis_unavailable"
        )
    if dependency == "network":
        return ServiceUnavailable(
            "a service this one needs did not answer; try again shortly",
            code="service_unavailable",
        )
    return None


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


_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
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
        code = INVALID_TEXT if first["type"] == INVALID_TEXT else "validation_error"
        return JSONResponse(error_body(code, f"{where}: {first['msg']}", details), status_code=422)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {"Allow": ", ".join(allowed_methods(request))}
            if request.method == "OPTIONS":
                return Response(status_code=204, headers=headers)
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        return JSONResponse(
            error_body(code, str(exc.detail)), status_code=exc.status_code, headers=headers
        )

    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        if (outage := unavailable(exc)) is not None:
            log.warning("dependency_unavailable", code=outage.code, error=repr(exc))
            return error_response(outage, retry_after_seconds=retry_after_seconds)
        log.exception("unhandled_error", error=repr(exc))
        return JSONResponse(error_body("internal_error", "internal server error"), status_code=500)

    app.add_exception_handler(AppError, app_error)
    # Also per type, not only as the catch-all: Starlette re-raises what reaches the catch-all
    # (a traceback per request), and an outage is not a bug.
    for kind in OUTAGE_TYPES:
        app.add_exception_handler(kind, unexpected)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
