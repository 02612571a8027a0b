"""Calls to the services' REST APIs: socket actions (with the caller's own token) and the REST
front's forwarding.

aiohttp, not the runtime's httpx client: ``send_message`` makes one such call per chat message,
and under load httpx (its connection pool checks every idle connection per request) was 40 %
of the gateway's CPU; forwarding a page of conversations cost 0.6 ms of CPU through httpx.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import orjson
import structlog

from switchboard.gateway.domain.frames import ErrorCode, FrameError

__all__ = ["ServiceClient", "call_service"]

log = structlog.get_logger(__name__)


class ServiceClient:
    """One keep-alive connection pool to the services, opened on first use; redirects are
    the caller's to follow (the REST front passes them on)."""

    def __init__(self, *, timeout_seconds: float = 10.0, connections: int = 256) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                timeout=self._timeout,
                json_serialize=lambda value: orjson.dumps(value).decode(),
                skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"),
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


async def call_service(
    client: ServiceClient,
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
        async with client.session.request(
            method, url, json=json, params=params, headers=sent, allow_redirects=False
        ) as response:
            status, reason, content = response.status, response.reason, await response.read()
    except (TimeoutError, aiohttp.ClientError) as exc:
        log.warning("upstream_call_failed", url=url, error=repr(exc))
        raise FrameError(ErrorCode.upstream_unavailable, "the service is not reachable") from exc
    if status >= 500:
        log.warning("upstream_call_failed", url=url, status=status)
        raise FrameError(ErrorCode.upstream_unavailable, "the service failed to answer")
    body = _json(content)
    if status >= 400:
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and isinstance(error.get("code"), str):
            raise FrameError(
                error["code"], str(error.get("message", "")), details=error.get("details")
            )
        raise FrameError(f"http_{status}", reason or "")
    return body


def _json(content: bytes) -> Any:
    if not content:
        return {}
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return {}
