"""The errors the gateway's REST front answers beyond core's (``not_found`` for a path no
service serves, ``upstream_unavailable``); a service's own answers pass on as they are, and the
socket's error codes are ``domain.frames.ErrorCode``."""

from __future__ import annotations

from switchboard.core.errors import AppError


class DocumentsConflict(AppError):
    """The services' OpenAPI documents do not merge (see ``core.openapi.OpenAPIConflict``)."""

    code = "openapi_conflict"
    message = "the services' OpenAPI documents conflict"
