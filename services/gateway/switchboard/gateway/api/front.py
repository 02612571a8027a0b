"""The REST front: every public path of every service behind the gateway's base URL."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from starlette.background import BackgroundTask
from starlette.types import Receive, Scope, Send

from switchboard.core.app import state_of
from switchboard.core.clients import client_address
from switchboard.core.errors import NotFound, UpstreamUnavailable, error_response
from switchboard.core.metrics import ROUTE_TEMPLATE
from switchboard.core.openapi import OpenAPIConflict
from switchboard.gateway.domain.headers import request_headers, response_headers
from switchboard.gateway.domain.routes import Route
from switchboard.gateway.errors import DocumentsConflict
from switchboard.gateway.service.gateway import Gateway
from switchboard.gateway.service.routes import PUBLIC_TITLE
from switchboard.gateway.service.upstream import Forwarded

__all__ = ["router"]

router = APIRouter()


def _unavailable(gateway: Gateway, message: str, details: Any) -> JSONResponse:
    """503 with Retry-After: the client tries again once the upstream is back."""
    return error_response(
        UpstreamUnavailable(message, details=details),
        retry_after_seconds=gateway.settings.retry_after_seconds,
    )


def _gateway(request: Request) -> Gateway:
    return state_of(request, Gateway)


@router.get("/openapi.json", include_in_schema=False)
async def public_openapi(request: Request) -> JSONResponse:
    gateway = _gateway(request)
    if gateway.upstreams.missing:
        await gateway.upstreams.refresh_if_due()
    own: dict[str, Any] = request.app.openapi()
    try:
        document = gateway.upstreams.merged(own)
    except OpenAPIConflict as exc:
        return error_response(DocumentsConflict(str(exc)))
    return JSONResponse(document)


@router.get("/docs", include_in_schema=False)
async def public_docs() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title=PUBLIC_TITLE)


async def _count_call(gateway: Gateway, request: Request) -> None:
    """Every REST call counts against its token, or its address when it has none (429)."""
    settings, limits = gateway.settings, gateway.runtime.rate_limits
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        # Keyed by a digest: the token itself is a credential and never becomes a Redis key.
        digest = hashlib.sha256(token.strip().encode()).hexdigest()[:32]
        await limits.hit(settings.rate_limit_requests_per_token, "calls-token", digest)
    else:
        address = client_address(request, settings)
        await limits.hit(settings.rate_limit_requests_per_ip, "calls-address", address)


async def proxy(request: Request) -> Response:
    gateway = _gateway(request)
    await _count_call(gateway, request)
    path = request.url.path
    route = gateway.upstreams.match(path)
    if route is None and await gateway.upstreams.refresh_if_due():
        route = gateway.upstreams.match(path)
    if route is None:
        if gateway.upstreams.missing:
            return _unavailable(
                gateway,
                "a service has not answered yet, so this path is unknown",
                {"missing": gateway.upstreams.missing},
            )
        return error_response(NotFound(f"no service serves {path}"))
    request.scope[ROUTE_TEMPLATE] = route.template  # the latency histogram's route label
    body = _Body(request)
    try:
        answer = await _forward(gateway, request, route, body)
    except UpstreamUnavailable:
        if body.broken is not None:  # the client's body broke off, or broke the body limit
            raise body.broken from None
        return _unavailable(
            gateway, f"{route.upstream} is not reachable", {"upstream": route.upstream}
        )
    return _passed_on(answer)


class _Body:
    """The client's body, passed on chunk by chunk as it arrives (an upload is never held
    whole); what broke it off (``BodyLimit``'s 413, a client gone) is kept to be answered."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.broken: Exception | None = None

    def to_send(self) -> AsyncIterator[bytes] | None:
        headers = self.request.headers
        if "transfer-encoding" not in headers and headers.get("content-length", "0") == "0":
            return None
        return self._chunks()

    async def _chunks(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.request.stream():
                if chunk:
                    yield chunk
        except Exception as exc:
            self.broken = exc
            raise  # the upstream's connection is dropped: it never sees a whole request


async def _forward(gateway: Gateway, request: Request, route: Route, body: _Body) -> Forwarded:
    """The request to the route's upstream, path and query as the client wrote them (still
    percent-encoded, so the upstream sees the same path)."""
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    query = request.url.query
    target = raw_path.decode("latin-1") + (f"?{query}" if query else "")
    client = request.client.host if request.client else None
    headers = request_headers(request.headers.items(), client_host=client)
    declared = request.headers.get("content-length")
    if declared is not None and "transfer-encoding" not in request.headers:
        headers.append(("content-length", declared))  # the upstream refuses an oversize at once
    return await gateway.services.forward(
        request.method,
        gateway.upstreams.url(route.upstream) + target,
        headers=headers,
        body=body.to_send(),
    )


def _passed_on(answer: Forwarded) -> Response:
    passed = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in response_headers(answer.headers)
    ]
    if answer.stream is not None:
        names = {n.lower(): v for n, v in answer.headers}
        # Passed on only for a body that reaches the client as the upstream wrote it.
        declared = [] if "content-encoding" in names else [names.get("content-length", "")]
        declared = [v for v in declared if v]
        streamed = StreamingResponse(
            answer.stream,
            status_code=answer.status,
            background=BackgroundTask(answer.close) if answer.close else None,
        )
        length = [(b"content-length", declared[0].encode("latin-1"))] if declared else []
        streamed.raw_headers = [*length, *passed]
        return streamed
    response = Response(content=answer.content, status_code=answer.status)
    response.raw_headers = [(b"content-length", str(len(answer.content)).encode()), *passed]
    return response


class _EveryMethod:
    """The proxy for every method, listed or not: the upstream's router answers 405 with the
    path's Allow, and OPTIONS with 204 (browsers' CORS preflights are answered before, see
    app.py). An ASGI app, not a function: Starlette routes a function endpoint GET alone."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await proxy(Request(scope, receive))
        await response(scope, receive, send)


router.add_route("/{path:path}", _EveryMethod(), include_in_schema=False)  # type: ignore[arg-type]
