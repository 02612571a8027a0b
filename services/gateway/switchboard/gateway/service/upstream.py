"""The gateway's one HTTP client to the services: the socket actions' calls (with the caller's
own token), the REST front's forwarding and the upstreams' ``/openapi.json``.

aiohttp, not httpx: ``send_message`` makes one such call per chat message, and under load httpx
(its connection pool checks every idle connection per request) was 40 % of the gateway's CPU;
forwarding a page of conversations cost 0.6 ms of CPU through httpx.

It raises two errors, neither logged (a caller knows whether a failure is news): the actions
turn them into ``FrameError``, the REST front the first into its 503::

    core.errors.UpstreamUnavailable   no answer, or a 5xx: try again later
    UpstreamRefused                   a 4xx, with the service's own code, message and details
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson
from multidict import CIMultiDict
from yarl import URL

from switchboard.core.errors import UpstreamUnavailable

__all__ = ["SMALL_ANSWER_BYTES", "Forwarded", "ServiceClient", "UpstreamRefused"]

# An answer that declares at most this many bytes is read in one piece (the hot path: a page
# of conversations, a sent message); any other is passed on chunk by chunk as it arrives.
SMALL_ANSWER_BYTES = 64 * 1024
CHUNK_BYTES = 64 * 1024


class UpstreamRefused(Exception):
    """The service refused the call (4xx); ``code`` is its error code, if it named one."""

    def __init__(self, status: int, code: str | None, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.details = details


@dataclass(frozen=True)
class Forwarded:
    """A service's answer as it came, whatever its status: ``content`` when it was small,
    else ``stream``, its chunks as they arrive (which ends the upstream's answer when done;
    ``close`` ends it too, for an answer never read)."""

    status: int
    headers: list[tuple[str, str]]
    content: bytes
    stream: AsyncIterator[bytes] | None = None
    close: Callable[[], None] | None = None


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

    async def call(
        self,
        method: str,
        url: str,
        *,
        token: str | None = None,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        timeout_seconds: float | None = None,
    ) -> Any:
        """The service's JSON answer (``{}`` when it has none); ``UpstreamUnavailable`` or
        ``UpstreamRefused`` otherwise."""
        sent = {"authorization": f"Bearer {token}"} if token else {}
        sent.update(headers or {})
        timeout = self._timeout
        if timeout_seconds is not None:
            timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        try:
            async with self.session.request(
                method,
                url,
                json=json,
                params=params,
                headers=sent,
                allow_redirects=False,
                timeout=timeout,
            ) as response:
                status, reason, content = response.status, response.reason, await response.read()
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise UpstreamUnavailable("the service is not reachable", url=url) from exc
        if status >= 500:
            raise UpstreamUnavailable("the service failed to answer", url=url, status=status)
        body = _json(content)
        if status >= 400:
            raise _refusal(status, reason, body)
        return body

    async def forward(
        self,
        method: str,
        url: str,
        *,
        headers: list[tuple[str, str]],
        body: AsyncIterable[bytes] | bytes | None,
    ) -> Forwarded:
        """Pass a request on as it is (``url`` already percent-encoded), its body streamed as
        it arrives; the answer whatever its status (streamed when large), ``UpstreamUnavailable``
        only when there is none. The timeout is for each wait (connecting, each read), not the
        whole exchange: a large file takes as long as it takes."""
        each_wait = self._timeout.total
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=each_wait, sock_read=each_wait)
        try:
            answer = await self.session.request(
                method,
                URL(url, encoded=True),
                headers=CIMultiDict(headers),
                data=body,
                allow_redirects=False,
                timeout=timeout,
            )
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise UpstreamUnavailable("the service is not reachable", url=url) from exc
        status, answered = answer.status, list(answer.headers.items())
        length = answer.content_length
        if length is not None and length <= SMALL_ANSWER_BYTES:
            try:
                content = await answer.read()
            except (TimeoutError, aiohttp.ClientError) as exc:
                raise UpstreamUnavailable("the service broke off its answer", url=url) from exc
            finally:
                answer.release()
            return Forwarded(status, answered, content)
        return Forwarded(status, answered, b"", stream=_chunks(answer), close=answer.release)


async def _chunks(answer: aiohttp.ClientResponse) -> AsyncIterator[bytes]:
    """The answer's body as it arrives; a break after the status was passed on can only cut
    the answer short (the client sees it end early)."""
    try:
        async for chunk in answer.content.iter_chunked(CHUNK_BYTES):
            yield chunk
    except (TimeoutError, aiohttp.ClientError):
        answer.close()
    finally:
        answer.release()


def _refusal(status: int, reason: str | None, body: Any) -> UpstreamRefused:
    """The suite's one error shape, ``{"error": {"code", "message", "details"}}``, read."""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        message = str(error.get("message", ""))
        return UpstreamRefused(status, error["code"], message, error.get("details"))
    return UpstreamRefused(status, None, reason or "")


def _json(content: bytes) -> Any:
    if not content:
        return {}
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return {}
