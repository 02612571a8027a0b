"""Running the whole suite as real processes, and clients that speak to it like a front end."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import websockets

from switchboard.core.service import service_specs
from switchboard.core.settings import Settings
from switchboard.core.testing.plugin import TEST_LIMITS

CLI = [sys.executable, "-c", "from switchboard.cli.main import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Suite:
    """Every service and worker as a process, on free ports.

    ``instances`` runs more than one process of a service (``{"routing": 2}``): the extra ones
    are named ``routing-2``, ... in ``urls`` and ``processes``, share the database, Redis and
    consumer group, and no other service points at them (the gateway uses the first).
    """

    settings: Settings
    log_dir: Path
    instances: dict[str, int] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return self.urls["gateway"]

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://")

    def start(self) -> None:
        specs = service_specs()
        ports = {spec.name: free_port() for spec in specs}
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        self.env = {
            **os.environ,
            "SB_DATABASE_URL": self.settings.database_url,
            "SB_REDIS_URL": self.settings.redis_url,
            "SB_JWT_SECRET": self.settings.signing_secret(),
            "SB_KEY_PREFIX": f"{self.settings.key_prefix}-e2e",
            "SB_LOG_JSON": "false",
            "SB_CONSUMER_BLOCK_MS": "200",
            "SB_CONSUMER_RECLAIM_IDLE_MS": "2000",
            "SB_PRESENCE_GRACE_SECONDS": "0.3",
            "SB_PRESENCE_HEARTBEAT_SECONDS": "1",
            **{f"SB_{name.upper()}_URL": url for name, url in self.urls.items()},
            **{f"SB_{name.upper()}": str(value) for name, value in TEST_LIMITS.items()},
        }
        for spec in specs:
            self._spawn(spec.name, ["serve", spec.name, "--port", str(ports[spec.name])])
            if spec.worker:
                self._spawn(f"{spec.name}-worker", ["worker", spec.name])
        known = {spec.name for spec in specs}
        for service, count in self.instances.items():
            if service not in known:
                raise ValueError(f"no service {service!r} to run {count} instances of")
            for number in range(2, count + 1):
                name, port = f"{service}-{number}", free_port()
                self.urls[name] = f"http://127.0.0.1:{port}"
                self._spawn(name, ["serve", service, "--port", str(port)])

    def instance_urls(self, service: str) -> list[str]:
        """The base URLs of every process of ``service``, the one others use first."""
        count = self.instances.get(service, 1)
        return [self.urls[service], *(self.urls[f"{service}-{n}"] for n in range(2, count + 1))]

    def _spawn(self, name: str, args: list[str]) -> None:
        log = (self.log_dir / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            [*CLI, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    async def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=2.0) as client:
            for name, url in self.urls.items():
                while True:
                    self.check_alive()
                    with contextlib.suppress(httpx.HTTPError):
                        if (await client.get(f"{url}/readyz")).status_code == 200:
                            break
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"{name} not ready:\n{self.logs(name)}")
                    await asyncio.sleep(0.1)
            while True:  # the gateway knows every upstream path
                with contextlib.suppress(httpx.HTTPError):
                    spec = (await client.get(f"{self.base_url}/openapi.json")).json()
                    if "/v1/auth/login" in spec.get("paths", {}) and "/v1/inboxes" in spec.get(
                        "paths", {}
                    ):
                        break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"gateway has no route table:\n{self.logs('gateway')}")
                await asyncio.sleep(0.1)

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited ({process.returncode}):\n{self.logs(name)}")

    def logs(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    def cli(self, *args: str) -> str:
        result = subprocess.run(
            [*CLI, *args], env=self.env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout


class Socket:
    """A websocket client of the suite's protocol. When the server goes away, ``closed`` is set
    and the requests waiting for an answer raise ``ConnectionError``."""

    _ids = itertools.count(1)

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.responses: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.received: list[dict[str, Any]] = []
        self.closed = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            with contextlib.suppress(websockets.ConnectionClosed):
                async for raw in self.connection:
                    frame = orjson.loads(raw)
                    if frame.get("type") == "response":
                        future = self.responses.pop(frame.get("request_id"), None)
                        if future and not future.done():
                            future.set_result(frame)
                    elif frame.get("type") == "event":
                        self.received.append(frame)
                        await self.events.put(frame)
        finally:
            self.closed.set()
            for future in self.responses.values():
                if not future.done():
                    future.set_exception(ConnectionError("the socket closed"))
            self.responses.clear()

    async def request(
        self, action: str, payload: dict[str, Any] | None = None, *, timeout: float = 10.0
    ) -> dict[str, Any]:
        if self.closed.is_set():
            raise ConnectionError("the socket closed")
        request_id = f"r-{next(self._ids)}"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.responses[request_id] = future
        frame = {"type": "request", "request_id": request_id, "action": action}
        await self.connection.send(orjson.dumps({**frame, "payload": payload or {}}).decode())
        return await asyncio.wait_for(future, timeout=timeout)

    async def expect(
        self,
        event: str,
        where: Callable[[dict[str, Any]], bool] = lambda data: True,
        timeout: float = 10.0,
    ) -> dict[str, Any]:
        """The next pushed ``event`` whose data satisfies ``where`` (others are skipped)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                seen = [frame["event"] for frame in self.received]
                raise TimeoutError(f"no {event} within {timeout}s; received {seen}")
            frame = await asyncio.wait_for(self.events.get(), timeout=remaining)
            if frame["event"] == event and where(frame["data"]):
                return frame

    async def quiet(
        self, event: str, where: Callable[[dict[str, Any]], bool], seconds: float
    ) -> None:
        """Assert no matching ``event`` arrives within ``seconds``."""
        with contextlib.suppress(TimeoutError):
            frame = await self.expect(event, where, timeout=seconds)
            raise AssertionError(f"unexpected {event}: {frame}")

    async def close(self) -> None:
        await self.connection.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


async def connect(suite: Suite, side: str, token: str) -> Socket:
    connection = await websockets.connect(f"{suite.ws_url}/v1/ws/{side}", max_size=2**22)
    socket_ = Socket(connection)
    response = await socket_.request("login", {"token": token})
    assert response["ok"], response
    return socket_
