"""A request body is never larger than ``SB_MAX_REQUEST_BYTES``: 413 ``payload_too_large``.

Checked on the declared ``Content-Length`` before anything is read, and on the bytes as they
arrive (a chunked body declares none), so an oversized body is refused without being held in
memory whole, by every service and by the gateway before it forwards anything.

An upload (a POST to a path ending in ``/attachments``) may be larger, up to
``SB_ATTACHMENT_MAX_BYTES_CEILING``: the service that takes it enforces its own, lower limit
(an inbox's) while it streams the file.
"""

from __future__ import annotations

import re

import orjson
from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from switchboard.core.asgi import HttpMiddleware
from switchboard.core.errors import PayloadTooLarge, error_body

__all__ = ["UPLOAD_PATH", "BodyLimit"]

# The paths that take a file (``POST .../attachments``), whatever the service.
UPLOAD_PATH = re.compile(r"^/.*/attachments/?$")


class BodyLimit(HttpMiddleware):
    def __init__(self, app: ASGIApp, *, max_bytes: int, max_upload_bytes: int = 0) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes
        self.max_upload_bytes = max(max_bytes, max_upload_bytes)

    def _limit(self, scope: Scope) -> int:
        if scope.get("method") == "POST" and UPLOAD_PATH.match(scope.get("path", "")):
            return self.max_upload_bytes
        return self.max_bytes

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self._limit(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            # Read (and drop) a moderately oversized body, so the client, still sending, can
            # read the answer; a huge one is not worth the bandwidth: the connection closes.
            drained = declared <= _DRAIN_FACTOR * self.max_bytes and await _drain(receive)
            await _refuse(send, limit, keep_alive=drained)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Raised into whoever reads the body: rendered by the error handlers.
                    raise HTTPException(413, f"the body is larger than {limit} bytes")
            return message

        await self.app(scope, counted, send)


_DRAIN_FACTOR = 8


async def _drain(receive: Receive) -> bool:
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return False
        if not message.get("more_body", False):
            return True


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, max_bytes: int, *, keep_alive: bool) -> None:
    body = orjson.dumps(
        error_body(PayloadTooLarge.code, f"the body is larger than {max_bytes} bytes")
    )
    await send(
        {
            "type": "http.response.start",
            "status": PayloadTooLarge.status_code,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *([] if keep_alive else [(b"connection", b"close")]),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
