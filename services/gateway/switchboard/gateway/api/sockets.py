"""The websockets: /v1/ws/agent and /v1/ws/visitor (protocol in openapi/asyncapi.yaml)."""

from __future__ import annotations

from fastapi import APIRouter, WebSocket
from starlette.types import ASGIApp, Receive, Scope, Send

from switchboard.core.app import state_of
from switchboard.gateway.domain.audience import ConnectionKind
from switchboard.gateway.service.connection import Connection
from switchboard.gateway.service.gateway import Gateway

__all__ = ["SocketsFirst", "router"]

router = APIRouter()


async def agent_socket(websocket: WebSocket) -> None:
    await _serve(websocket, "agent")


async def visitor_socket(websocket: WebSocket) -> None:
    await _serve(websocket, "visitor")


# SocketsFirst serves these paths ahead of the routing; the routes remain for the route table
# (and a mounted app). Plain Starlette routes: FastAPI's would hold two exit stacks per socket.
router.add_websocket_route("/v1/ws/agent", agent_socket)
router.add_websocket_route("/v1/ws/visitor", visitor_socket)

_SOCKETS: dict[str, ConnectionKind] = {"/v1/ws/agent": "agent", "/v1/ws/visitor": "visitor"}


class SocketsFirst:
    """ASGI middleware taking the sockets straight to their handler.

    Every layer between the server and the handler stays suspended for the whole life of a
    socket; the exception, exit-stack and routing layers (which the sockets do not use) cost a
    few KiB per idle socket. Anything else goes on down the stack.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = _SOCKETS.get(scope["path"]) if scope["type"] == "websocket" else None
        if kind is None or scope.get("root_path"):
            await self.app(scope, receive, send)
            return
        await _serve(WebSocket(scope, receive=receive, send=send), kind)


async def _serve(websocket: WebSocket, kind: ConnectionKind) -> None:
    gateway = state_of(websocket, Gateway)
    await websocket.accept()
    connection = Connection(websocket, kind)
    try:
        token = websocket.query_params.get("token")
        if token:
            await gateway.actions.login_from_query(connection, token)
        await _read(gateway, connection)
    finally:
        await gateway.actions.disconnected(connection)
        connection.close(1000, "closed")
        await connection.flushed(timeout=2.0)


async def _read(gateway: Gateway, connection: Connection) -> None:
    """Serve frames one after another; the connection's timer closes a silent socket (its
    close frame ends ``receive`` with a disconnect)."""
    settings = gateway.settings
    connection.watch(settings.ws_login_timeout_seconds, settings.ws_idle_timeout_seconds)
    receive = connection.websocket.receive
    while connection.closing is None:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        connection.serving()
        text = message.get("text")
        await gateway.actions.handle_frame(
            connection, text if text is not None else message.get("bytes") or b""
        )
        del message, text  # not held by an idle socket until its next frame
        connection.served()
