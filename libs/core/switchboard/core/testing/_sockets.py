"""A client of the socket protocol (``openapi/asyncapi.yaml``), as a front end speaks it."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Callable
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

__all__ = ["Frame", "SocketClient"]

Frame = dict[str, Any]


def _anything(data: Any) -> bool:
    return True


class SocketClient:
    """One socket: requests get their answers, pushes are kept in the order they came.

    A reader task sorts every frame: an answer goes to the request waiting for it (or waits for
    ``response``), a push to ``events`` (what ``expect`` reads) and to ``received`` (every
    push, for looking back). When the socket closes, ``closed`` is set and the requests still
    waiting for an answer raise ``ConnectionError``.
    """

    _ids = itertools.count(1)

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.connection_id: str | None = None
        self.events: asyncio.Queue[Frame] = asyncio.Queue()
        self.received: list[Frame] = []
        self.responses: dict[str | None, asyncio.Future[Frame]] = {}
        self.closed = asyncio.Event()
        self._unclaimed: list[Frame] = []
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, url: str) -> SocketClient:
        """Connect to a socket path (``ws://.../v1/ws/agent``), not logged in yet."""
        return cls(await connect(url, max_size=2**22))

    async def _read(self) -> None:
        try:
            with contextlib.suppress(ConnectionClosed):
                async for raw in self.connection:
                    self._sort(orjson.loads(raw))
        finally:
            self.closed.set()
            for future in self.responses.values():
                if not future.done():
                    future.set_exception(ConnectionError("the socket closed"))
            self.responses.clear()

    def _sort(self, frame: Frame) -> None:
        if frame.get("type") == "event":
            self.received.append(frame)
            self.events.put_nowait(frame)
        elif frame.get("type") == "response":
            future = self.responses.pop(frame.get("request_id"), None)
            if future is not None and not future.done():
                future.set_result(frame)
            else:
                self._unclaimed.append(frame)

    async def login(self, token: str) -> Frame:
        """Log in with ``token``: the answer (``connection_id`` keeps the connection's id)."""
        answer = await self.request("login", {"token": token})
        if answer["ok"]:
            self.connection_id = answer["payload"]["connection_id"]
        return answer

    async def request(
        self, action: str, payload: dict[str, Any] | None = None, *, timeout: float = 10.0
    ) -> Frame:
        """Send a request and wait for its answer."""
        request_id = f"r-{next(self._ids)}"
        frame = {"type": "request", "request_id": request_id, "action": action}
        await self.send_raw(orjson.dumps({**frame, "payload": payload or {}}).decode())
        return await self.response(request_id, timeout=timeout)

    async def send_raw(self, text: str) -> None:
        """Send a frame as it is, well formed or not."""
        if self.closed.is_set():
            raise ConnectionError("the socket closed")
        await self.connection.send(text)

    async def response(self, request_id: str | None, *, timeout: float = 10.0) -> Frame:
        """The answer to ``request_id``; None: an answer to no request (a login by the query
        string, a frame that could not be read)."""
        for frame in self._unclaimed:
            if frame.get("request_id") == request_id:
                self._unclaimed.remove(frame)
                return frame
        if self.closed.is_set():
            raise ConnectionError("the socket closed")
        future: asyncio.Future[Frame] = asyncio.get_running_loop().create_future()
        self.responses[request_id] = future
        try:
            return await asyncio.wait_for(future, timeout=timeout)
        finally:
            if self.responses.get(request_id) is future:
                del self.responses[request_id]

    async def expect(
        self,
        event: str,
        where: Callable[[Any], bool] = _anything,
        *,
        timeout: float = 10.0,
    ) -> Frame:
        """The next push of ``event`` whose data satisfies ``where``. The pushes before it are
        passed over (``received`` still has them)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                seen = [frame["event"] for frame in self.received]
                raise TimeoutError(f"no {event} within {timeout} s; received {seen}")
            frame = await asyncio.wait_for(self.events.get(), timeout=remaining)
            if frame["event"] == event and where(frame["data"]):
                return frame

    def pushes(self, event: str, where: Callable[[Any], bool] = _anything) -> list[Frame]:
        """Every push of ``event`` received so far whose data satisfies ``where``.

        To show that a push did not come, wait first for one that came after it would have
        (the same stream keeps them in order), then look here.
        """
        return [f for f in self.received if f["event"] == event and where(f["data"])]

    async def wait_closed(self, timeout: float = 10.0) -> tuple[int | None, str | None]:
        """Wait for the server to close the socket: its close code and reason."""
        async with asyncio.timeout(timeout):
            await self.closed.wait()
            await self.connection.wait_closed()
        return self.connection.close_code, self.connection.close_reason

    async def close(self) -> None:
        await self.connection.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
