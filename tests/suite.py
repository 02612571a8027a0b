"""Running the whole suite as real processes, and clients that speak to it like a front end."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from switchboard.core.service import service_specs
from switchboard.core.settings import Settings
from switchboard.core.testing import Frame, SocketClient, free_port
from switchboard.core.testing.plugin import TEST_LIMITS

CLI = [sys.executable, "-c", "from switchboard.cli.main import main; main()"]


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
            "SB_ATTACHMENT_STORAGE": "local",
            "SB_ATTACHMENT_DIRECTORY": str(self.log_dir / "attachments"),
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


async def connect(suite: Suite, side: str, token: str) -> SocketClient:
    """A socket of ``side`` (agent or visitor) to the suite's gateway, logged in."""
    socket = await SocketClient.open(f"{suite.ws_url}/v1/ws/{side}")
    answer = await socket.login(token)
    assert answer["ok"], answer
    return socket


async def turn_busy(socket: SocketClient) -> None:
    """The agent of ``socket`` turns busy, and hears it from routing.

    Pushes reach a socket in the order of the push stream. Once routing's word has come, so has
    every push meant for the socket that was on routing's stream before it, or that had already
    reached another socket: a test that waited for one of those may then look in ``received``
    for what must not have come.
    """
    answer = await socket.request(
        "set_availability", {"status": "busy", "accept_auto_assign": False}
    )
    assert answer["ok"], answer
    await socket.expect("agent.availability_changed", lambda data: data["status"] == "busy")


def about(conversation_id: str) -> Callable[[dict[str, Any]], bool]:
    """Pushes about the conversation (their data names it, or is it)."""
    return lambda data: (
        data.get("conversation_id") == conversation_id
        or data.get("conversation", {}).get("id") == conversation_id
    )


async def send_message(
    socket: SocketClient, conversation_id: str, content: str, **fields: Any
) -> Frame:
    """Send a message on the socket (``send_message``): its answer, which must be ok."""
    answer = await socket.request(
        "send_message", {"conversation_id": conversation_id, "content": content, **fields}
    )
    assert answer["ok"], answer
    return answer


async def upload(
    http: httpx.AsyncClient, path: str, headers: dict[str, str], name: str, data: bytes, kind: str
) -> dict[str, Any]:
    """Upload a file (multipart, as a browser does) to an attachments path: the attachment."""
    response = await http.post(path, files={"file": (name, data, kind)}, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def carrying(attachment_id: str) -> Callable[[dict[str, Any]], bool]:
    """Pushes of a message with this attachment (``message.created``)."""
    return lambda data: any(a["id"] == attachment_id for a in data["message"]["attachments"])


def saying(content: str) -> Callable[[dict[str, Any]], bool]:
    """Pushes of a message with these words (``message.created``)."""
    return lambda data: bool(data["message"]["content"] == content)
