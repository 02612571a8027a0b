"""What the benchmarks run against: the suite as processes on a throw-away database and key
prefix, the baseline servers, and a shop (account, inbox, agents, visitors) to drive them."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import websockets
from redis.asyncio import Redis
from sqlalchemy.engine import make_url

from bench import gen
from switchboard.core.auth import Principal, Role, issue_token
from switchboard.core.settings import Settings
from switchboard.core.testing import free_port
from tests.conftest import Shop, open_shop
from tests.suite import Suite

ROOT = Path(__file__).resolve().parent.parent
TOKEN_TTL = 6 * 3600


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def timed_sql(
    connection: asyncpg.Connection, sql: str, params: Sequence[Any], requests: int
) -> dict[str, Any]:
    """The baseline of a query: prepared once, warmed 5 times, then timed ``requests`` times
    on bare asyncpg; its percentiles and how many rows a page of 50 would show."""
    statement = await connection.prepare(sql)
    for _ in range(5):
        await statement.fetch(*params)
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        rows = await statement.fetch(*params)
        times.append(time.perf_counter() - t0)
    return {**gen.percentiles(times), "items": min(len(rows), 50)}


@contextlib.asynccontextmanager
async def running_suite(settings: Settings) -> AsyncIterator[Suite]:
    log_dir = Path(tempfile.mkdtemp(prefix="sb-bench-logs-"))
    suite = Suite(settings=settings, log_dir=log_dir)
    suite.start()
    try:
        await suite.wait_ready()
        yield suite
    finally:
        suite.stop()


def _about(conversation_id: str) -> Callable[[dict[str, Any]], bool]:
    return lambda data: bool(data["conversation_id"] == conversation_id)


@dataclass
class BareServer:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


@contextlib.asynccontextmanager
async def bare_server(mode: str, settings: Settings | None = None) -> AsyncIterator[BareServer]:
    port = free_port()
    args = [sys.executable, "-m", "bench.bare", mode, "--port", str(port)]
    if settings is not None:
        args += ["--dsn", asyncpg_dsn(settings.database_url), "--redis", settings.redis_url]
        args += ["--prefix", f"{settings.key_prefix}-bare"]
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: ASYNC220
    server = BareServer(process, port)
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError):
                async with websockets.connect(server.ws_url + "/v1/ws/visitor"):
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"bare {mode} server did not start")
            await asyncio.sleep(0.1)
        yield server
    finally:
        server.stop()


async def drained(settings: Settings, *, timeout: float = 120.0) -> float:
    """Wait until every consumer group of the suite has read and acknowledged every entry of
    its stream (the backlog of one scenario must not load the next); the seconds it took."""
    redis = Redis.from_url(settings.redis_url)
    t0 = time.perf_counter()
    try:
        while True:
            behind = 0
            async for key in redis.scan_iter(match=f"{{{settings.key_prefix}}}:stream:*"):
                with contextlib.suppress(Exception):  # not a stream, or no group yet
                    for group in await redis.xinfo_groups(key):
                        behind += int(group.get("lag") or 0) + int(group.get("pending") or 0)
            if behind == 0:
                return time.perf_counter() - t0
            if time.perf_counter() - t0 > timeout:
                raise RuntimeError(f"the suite did not drain in {timeout:.0f} s: {behind} behind")
            await asyncio.sleep(0.25)
    finally:
        await redis.aclose()


# --- /proc readings of a process ------------------------------------------------------------


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def cpu_share(pid: int, seconds: float) -> float:
    """Share of one core the process used over ``seconds``."""
    before, t0 = cpu_seconds(pid), time.perf_counter()
    await asyncio.sleep(seconds)
    return (cpu_seconds(pid) - before) / (time.perf_counter() - t0)


# --- A shop to drive ------------------------------------------------------------------------


class Driver:
    """Makes agents, visitors and conversations through the public API of a running suite."""

    def __init__(self, suite: Suite, http: httpx.AsyncClient, shop: Shop) -> None:
        self.suite, self.http, self.shop = suite, http, shop

    @classmethod
    @contextlib.asynccontextmanager
    async def open(cls, suite: Suite) -> AsyncIterator[Driver]:
        async with httpx.AsyncClient(base_url=suite.base_url, timeout=30.0) as http:
            yield cls(suite, http, await open_shop(suite, http))

    def visitor_token(self, visitor_id: str | None = None) -> str:
        """A visitor token of the shop's inbox (minted: the gateway checks only the token)."""
        principal = Principal(
            kind="visitor",
            id=uuid.UUID(visitor_id) if visitor_id else uuid.uuid4(),
            account_id=uuid.UUID(self.shop.account_id),
            inbox_id=uuid.UUID(self.shop.inbox_id),
        )
        return issue_token(
            self.suite.settings, principal, token_type="visitor", ttl_seconds=TOKEN_TTL
        )

    async def agents(self, count: int) -> list[dict[str, str]]:
        made = await asyncio.gather(*(self.shop.agent(f"Agent{n}") for n in range(count)))
        return [{"id": a.id, "token": a.token} for a in made]

    async def visitors(self, count: int) -> list[dict[str, str]]:
        made: list[Any] = []
        for start in range(0, count, 50):
            made += await asyncio.gather(
                *(self.shop.visitor(f"V{n}") for n in range(start, min(count, start + 50)))
            )
        return [{"id": v.id, "token": v.token} for v in made]

    async def conversation(self, visitor_token: str) -> str:
        response = await self.http.post(
            "/v1/public/conversations",
            json={"content": "bench"},
            headers={"Authorization": f"Bearer {visitor_token}"},
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def assignee(self, conversation_id: str) -> str | None:
        response = await self.http.get(
            f"/v1/conversations/{conversation_id}", headers=self.shop.admin.headers
        )
        assert response.status_code == 200, response.text
        assignee = response.json().get("assignee")
        return str(assignee["id"]) if assignee else None

    async def pairs(self, count: int) -> list[dict[str, str]]:
        """``count`` conversations, each with its visitor and its assigned agent. Each pair has
        an inbox of its own, so a message's audience is its two sockets (plus supervisors)."""
        from tests.suite import connect

        pairs = []
        admin = self.shop.admin.headers
        for n in range(count):
            inbox = await self.http.post("/v1/inboxes", json={"name": f"Pair {n}"}, headers=admin)
            assert inbox.status_code == 201, inbox.text
            inbox_id, widget = inbox.json()["id"], inbox.json()["widget_token"]
            agent = await self.shop.agent(f"Agent{n}", member=False)
            added = await self.http.post(
                f"/v1/inboxes/{inbox_id}/members", json={"agent_id": agent.id}, headers=admin
            )
            assert added.status_code == 201, added.text
            visitor = await self.http.post(
                f"/v1/public/inboxes/{widget}/visitors", json={"name": f"V{n}"}
            )
            assert visitor.status_code == 201, visitor.text
            visitor_token = visitor.json()["token"]
            # A fresh token: the inbox list of an agent is read at login.
            socket = await connect(self.suite, "agent", agent.token)
            answer = await socket.request(
                "set_availability", {"status": "online", "accept_auto_assign": True}
            )
            assert answer["ok"], answer
            conversation_id = await self.conversation(visitor_token)
            await socket.expect("conversation.assigned", _about(conversation_id))
            await socket.close()
            pairs.append(
                {
                    "conversation_id": conversation_id,
                    "visitor_token": visitor_token,
                    "agent_token": agent.token,
                }
            )
        return pairs

    def admin_token(self, account_id: str) -> str:
        principal = Principal(
            kind="agent", id=uuid.uuid4(), account_id=uuid.UUID(account_id), role=Role.admin
        )
        return issue_token(
            self.suite.settings, principal, token_type="access", ttl_seconds=TOKEN_TTL
        )
