"""The contract: every service's OpenAPI with every error it can answer, and their merge.

FastAPI documents the successes and its own 422 shape; ``with_error_responses`` replaces that
shape with the suite's one error body and adds, to each operation, the errors the code can
answer, read from the operation itself: 401 and 403 when it has ``security`` (its scope names
the role, see ``core.auth``), 404 when its path names ids, 413 when it takes a body, 400 when it
takes a cursor, 422 when it reads parameters or a body, 429 and 503 always. What only the use
case knows (a 409, a refusal by rule) the route names with ``refusals(ErrorClass, ...)``. An
error class carries its status and code (``core.errors``); every error response lists its
codes under ``x-error-codes``.
"""

from __future__ import annotations

import copy
from typing import Any

from switchboard.core.errors import (
    AppError,
    BadRequest,
    DatabaseUnavailable,
    Forbidden,
    InvalidCursor,
    InvalidText,
    InvalidToken,
    NotFound,
    PayloadTooLarge,
    RedisUnavailable,
    ServiceUnavailable,
    SessionChanged,
    SessionRevoked,
    TokenExpired,
    TooManyRequests,
    Unauthorized,
    Unprocessable,
    UpstreamUnavailable,
)

__all__ = [
    "COMMON_CODES",
    "ERROR_BODY",
    "OpenAPIConflict",
    "merge_openapi",
    "refusals",
    "with_error_responses",
]

ERROR_BODY = "ErrorBody"
_ERROR_BODY_SCHEMA: dict[str, Any] = {
    "title": ERROR_BODY,
    "description": "Every error the suite answers: a machine-readable code, a message for "
    "people, and details where there are any (422: each problem).",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "description": "See docs/errors.md."},
                "message": {"type": "string"},
                "details": {"description": "Anything that helps: null when there is nothing."},
            },
        }
    },
}
_FASTAPI_SCHEMAS = ("HTTPValidationError", "ValidationError")
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    }
}
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# The errors an operation can answer whatever its use case, by what the operation has (the
# use case's own are named on the route with ``refusals``).
_Errors = tuple[type[AppError], ...]
_SESSION: _Errors = (Unauthorized, InvalidToken, TokenExpired, SessionChanged, SessionRevoked)
_OUTAGE: _Errors = (ServiceUnavailable, DatabaseUnavailable, RedisUnavailable, UpstreamUnavailable)
_BY_CURSOR: _Errors = (InvalidCursor,)
# A body: bytes that are not UTF-8 (FastAPI's own 400), a body over the size limit.
_BY_BODY: _Errors = (BadRequest, PayloadTooLarge)
_BY_SECURITY: _Errors = (*_SESSION, Forbidden)
_BY_PATH_IDS: _Errors = (NotFound,)
_BY_INPUT: _Errors = (Unprocessable, InvalidText)
_ALWAYS: _Errors = (TooManyRequests, *_OUTAGE)
COMMON_CODES = frozenset(
    error.code
    for errors in (_BY_CURSOR, _BY_BODY, _BY_SECURITY, _BY_PATH_IDS, _BY_INPUT, _ALWAYS)
    for error in errors
)
_SUMMARIES = {
    400: "Bad request: a cursor this path did not give, or a body that is not UTF-8",
    401: "Not authenticated: no token, or one that is not (or no longer) valid",
    403: "Not allowed",
    404: "Not found; another account's ids are not found either",
    409: "Conflicts with the current state",
    413: "The request body is too large",
    415: "The content is not of a type this path takes",
    422: "The request does not fit: details lists each problem",
    429: "Too many requests: wait Retry-After seconds",
    503: "Something this path needs is out of reach for now: try again after Retry-After seconds",
}


class OpenAPIConflict(ValueError):
    """Two services declare the same path and method, or different schemas of one name."""


def _by_status(errors: _Errors) -> dict[int, list[str]]:
    """The codes of ``errors`` by status, in their order."""
    codes: dict[int, list[str]] = {}
    for error in errors:
        codes.setdefault(error.status_code, []).append(error.code)
    return codes


def refusals(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """A route's ``responses=``: the errors its use case answers beyond the common ones
    (``refusals(ConversationNotFound, ReadOnly)``), each under its class's status."""
    return {
        status: {"description": _SUMMARIES[status], "x-error-codes": codes}
        for status, codes in _by_status(errors).items()
    }


def with_error_responses(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (a service's FastAPI OpenAPI) with every error status of every operation."""
    document = copy.deepcopy(document)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_SCHEMAS:
        schemas.pop(name, None)
    schemas[ERROR_BODY] = _ERROR_BODY_SCHEMA
    document["components"]["schemas"] = dict(sorted(schemas.items()))
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            if method in _METHODS:
                _document_errors(operation)
    return document


def _document_errors(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status, codes in _common_codes(operation).items():
        declared = responses.setdefault(str(status), {"description": _SUMMARIES[status]})
        known = declared.get("x-error-codes", [])
        declared["x-error-codes"] = [*codes, *(code for code in known if code not in codes)]
    for key, response in responses.items():
        status = int(key)
        if status < 400:
            continue
        codes = response.get("x-error-codes", [])
        response["description"] = _description(status, codes, operation)
        response["content"] = {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_BODY}"}}
        }
        if status in (429, 503):
            response["headers"] = _RETRY_AFTER


def _common_codes(operation: dict[str, Any]) -> dict[int, list[str]]:
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    tables: list[tuple[bool, _Errors]] = [
        (any(p["in"] == "query" and p["name"] == "cursor" for p in parameters), _BY_CURSOR),
        (has_body, _BY_BODY),
        (_scopes(operation) is not None, _BY_SECURITY),
        (any(p["in"] == "path" for p in parameters), _BY_PATH_IDS),
        (bool(parameters) or has_body, _BY_INPUT),
        (True, _ALWAYS),
    ]
    return _by_status(tuple(error for applies, errors in tables if applies for error in errors))


def _scopes(operation: dict[str, Any]) -> list[str] | None:
    """The scopes of the operation's bearer requirement; None when it is public."""
    for requirement in operation.get("security", []):
        if "bearer" in requirement:
            scopes: list[str] = requirement["bearer"]
            return scopes
    return None


def _description(status: int, codes: list[str], operation: dict[str, Any]) -> str:
    summary = _SUMMARIES.get(status, "Error")
    if status == 403:
        summary = f"{summary}: {_who(_scopes(operation) or [])}"
    if not codes:
        return f"{summary}."
    return f"{summary}. Codes: " + ", ".join(f"`{code}`" for code in codes) + "."


def _who(scopes: list[str]) -> str:
    if "visitor" in scopes:
        return "a visitor's token is needed"
    if "agent" in scopes:
        return "an agent's token is needed"
    role = next(iter(scopes), "agent")
    return f"the {role} role (or a higher one) is needed"


def merge_openapi(
    documents: dict[str, dict[str, Any]], *, title: str, description: str
) -> dict[str, Any]:
    """One document with every path of ``documents`` (service name -> its OpenAPI)."""
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "0.1.0", "description": description},
        "paths": {},
        "components": {"schemas": {}, "securitySchemes": {}},
    }
    paths: dict[str, Any] = merged["paths"]
    schemas: dict[str, Any] = merged["components"]["schemas"]
    for service in sorted(documents):
        document = documents[service]
        for path, operations in document.get("paths", {}).items():
            target = paths.setdefault(path, {})
            for method, operation in operations.items():
                if method in target:
                    raise OpenAPIConflict(f"{method.upper()} {path} is declared twice")
                tagged = copy.deepcopy(operation)
                tagged.setdefault("tags", [service])
                target[method] = tagged
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            if name in schemas and schemas[name] != schema:
                raise OpenAPIConflict(f"schema {name} differs between services")
            schemas[name] = schema
        security = document.get("components", {}).get("securitySchemes", {})
        merged["components"]["securitySchemes"].update(security)
    merged["paths"] = dict(sorted(paths.items()))
    merged["components"]["schemas"] = dict(sorted(schemas.items()))
    return merged
