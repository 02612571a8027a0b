"""The websockets: /v1/ws/agent and /v1/ws/visitor (protocol in openapi/asyncapi.yaml)."""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket

from switchboard.gateway.domain.audience import ConnectionKind
from switchboard.gateway.service.connection import CloseCode, Connection
from switchboard.gateway.service.gateway import Gateway

__all__ = ["router"]

router = APIRouter()


@router.websocket("/v1/ws/agent")
async def agent_socket(websocket: WebSocket) -> None:
    await _serve(websocket, "agent")


@router.websocket("/v1/ws/visitor")
async def visitor_socket(websocket: WebSocket) -> None:
    await _serve(websocket, "visitor")


async def _serve(websocket: WebSocket, kind: ConnectionKind) -> None:
    gateway: Gateway = websocket.app.state.gateway
    await websocket.accept()
    connection = Connection(websocket, kind)
    writer = asyncio.create_task(connection.write_loop())
    try:
        token = websocket.query_params.get("token")
        if token:
            await gateway.actions.login_from_query(connection, token)
        await _read(gateway, connection)
    finally:
        await gateway.actions.disconnected(connection)
        connection.close(1000, "closed")
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(writer, timeout=2.0)
        writer.cancel()


async def _read(gateway: Gateway, connection: Connection) -> None:
    settings = gateway.settings
    loop = asyncio.get_running_loop()
    login_deadline = loop.time() + settings.ws_login_timeout_seconds
    while connection.closing is None:
        timeout = settings.ws_idle_timeout_seconds
        if not connection.logged_in:
            timeout = min(timeout, login_deadline - loop.time())
        try:
            message = await asyncio.wait_for(connection.websocket.receive(), max(timeout, 0.0))
        except TimeoutError:
            if connection.logged_in or loop.time() < login_deadline:
                connection.close(CloseCode.idle_timeout, "idle_timeout")
            else:
                connection.close(CloseCode.login_timeout, "login_timeout")
            return
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        await gateway.actions.handle_frame(
            connection, text if text is not None else message.get("bytes") or b""
        )
