"""Calls from socket actions to the services' REST APIs, with the caller's own token."""

from __future__ import annotations

from typing import Any

import httpx
import structlog

from switchboard.gateway.domain.frames import ErrorCode, FrameError

__all__ = ["call_service"]

log = structlog.get_logger(__name__)


async def call_service(
    http: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    token: str,
    json: Any = None,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """The JSON answer of the service; its 4xx becomes a ``FrameError`` with its own code."""
    sent = {"authorization": f"Bearer {token}", **(headers or {})}
    try:
        response = await http.request(method, url, json=json, params=params, headers=sent)
    except httpx.HTTPError as exc:
        log.warning("upstream_call_failed", url=url, error=repr(exc))
        raise FrameError(ErrorCode.upstream_unavailable, "the service is not reachable") from exc
    if response.status_code >= 500:
        log.warning("upstream_call_failed", url=url, status=response.status_code)
        raise FrameError(ErrorCode.upstream_unavailable, "the service failed to answer")
    body = _json(response)
    if response.status_code >= 400:
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and isinstance(error.get("code"), str):
            raise FrameError(
                error["code"], str(error.get("message", "")), details=error.get("details")
            )
        raise FrameError(f"http_{response.status_code}", response.reason_phrase)
    return body


def _json(response: httpx.Response) -> Any:
    if not response.content:
        return {}
    try:
        return response.json()
    except ValueError:
        return {}
