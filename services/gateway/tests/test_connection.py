"""A connection's writer: frames leave in order, a reader that falls too far behind is closed."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import orjson
from starlette.websockets import WebSocket

from switchboard.gateway.service.connection import SEND_QUEUE_LIMIT, Connection


class HeldSocket:
    """Stands in for the websocket: records what is sent; ``hold`` stalls the sending."""

    def __init__(self) -> None:
        self.sent: list[Any] = []
        self.closed: tuple[int, str] | None = None
        self.open = asyncio.Event()
        self.open.set()

    async def send_text(self, text: str) -> None:
        await self.open.wait()
        self.sent.append(orjson.loads(text)["n"])

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)


def connection_on(socket: HeldSocket) -> Connection:
    return Connection(cast(WebSocket, socket), "visitor")


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def test_frames_leave_in_order_and_the_close_after_them() -> None:
    socket = HeldSocket()
    connection = connection_on(socket)
    connection.send({"n": 1})
    await settle()
    socket.open.clear()
    for n in range(2, 6):
        connection.send({"n": n})
    await settle()
    connection.send({"n": 6})
    connection.close(4401, "token_expired")
    connection.send({"n": 7})  # after the close: not sent
    socket.open.set()
    await connection.flushed(timeout=2.0)
    assert socket.sent == [1, 2, 3, 4, 5, 6]
    assert socket.closed == (4401, "token_expired")


async def test_a_reader_too_far_behind_is_closed_as_slow_consumer() -> None:
    socket = HeldSocket()
    socket.open.clear()
    connection = connection_on(socket)
    connection.send({"n": 0})
    await settle()  # being written, held
    for n in range(1, SEND_QUEUE_LIMIT + 1):
        connection.send({"n": n})
    assert connection.closing is None
    connection.send({"n": SEND_QUEUE_LIMIT + 1})
    assert connection.closing is not None
    socket.open.set()
    await connection.flushed(timeout=2.0)
    assert socket.closed == (4008, "slow_consumer")
    assert socket.sent == [0]  # the frame being written; the backlog is dropped
