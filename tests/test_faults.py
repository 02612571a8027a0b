"""Faults over real processes: `switchboard up` on a PostgreSQL and a Redis of its own (private
servers from the pip wheels, so the test may kill them), under a steady socket load.

A visitor sends messages over its websocket, one after another, each with a
``client_message_id``; an unanswered or refused send is sent again with the same id after
reconnecting, as a real client does. An agent's socket receives them; after a reconnect it
sends ``resume`` with the last event id it saw. In turn: ``kill -9`` of chat, of the gateway,
of routing and of routing's worker (the supervisor restarts them), a restart of Redis (with
its data, then without), and ``kill -9`` of PostgreSQL (started again as an operator would).
Meanwhile the agent reads the conversation over REST, which answers 200, or 503 with
Retry-After while something is down (never 500). After each fault: every acknowledged message
is stored exactly once, every stored message reached the agent, the suite serves again by
itself, and in the end no consumer group holds an unhandled event. The fault table is printed
at the end of the run (and written next to the logs).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import pytest_asyncio
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from switchboard.cli.embedded import PrivateServers
from switchboard.core.secrets import generate_secret
from switchboard.core.service import service_specs
from switchboard.core.settings import Settings
from switchboard.core.testing import SocketClient, free_port
from switchboard.core.testing.plugin import TEST_LIMITS
from tests.conftest import FAULT_TABLE, open_shop
from tests.suite import Suite, connect

pytestmark = pytest.mark.timeout(300)

RECOVERY_BOUND_SECONDS = 30.0  # generous: the point is that nobody has to help
SEND_PAUSE_SECONDS = 0.05  # between two sends: about 15-20 messages a second
STEADY_SECONDS = 0.5  # of load before and after each fault


@dataclass
class Installation:
    """`switchboard up` and the private servers it runs on."""

    suite: Suite
    servers: PrivateServers
    up: subprocess.Popen[bytes]
    pg_port: int
    redis_port: int
    database_url: str

    def log(self) -> str:
        return (self.suite.log_dir / "up.log").read_text(errors="replace")[-6000:]

    async def ready(self, timeout: float) -> None:
        """Until every service is ready; fails at once when `up` itself exits."""
        waiting = asyncio.create_task(self.suite.wait_ready(timeout=timeout))
        while not waiting.done():
            if self.up.poll() is not None:
                waiting.cancel()
                raise AssertionError(f"switchboard up exited ({self.up.returncode}):\n{self.log()}")
            await asyncio.wait({waiting}, timeout=0.5)
        try:
            waiting.result()
        except TimeoutError as exc:
            raise AssertionError(f"not ready in {timeout} s:\n{self.log()}") from exc

    def stop(self) -> None:
        """Ctrl-C, as an operator would; killing what is left if `up` does not stop in time."""
        children = self.children()
        self.up.send_signal(signal.SIGINT)
        try:
            self.up.wait(timeout=20)
        except subprocess.TimeoutExpired:
            for pid in [*children.values(), self.up.pid]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def children(self) -> dict[str, int]:
        """The supervisor's live children: "chat", "routing worker", ... -> pid."""
        try:
            tasks = list(Path(f"/proc/{self.up.pid}/task").iterdir())
        except OSError:  # `up` is gone
            return {}
        found: dict[str, int] = {}
        for task in tasks:
            with contextlib.suppress(OSError):
                for pid in (task / "children").read_text().split():
                    if label := _label(int(pid)):
                        found[label] = int(pid)
        return found


def _label(pid: int) -> str | None:
    """ "chat" for `switchboard serve chat`, "routing worker" for `switchboard worker routing`;
    None for a child that died and was not reaped yet (it has no command line)."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except OSError:
        return None
    if "serve" in words:
        return words[words.index("serve") + 1]
    if "worker" in words:
        return f"{words[words.index('worker') + 1]} worker"
    return None


def _environment(
    data: Path, database_url: str, redis_url: str, urls: dict[str, str]
) -> dict[str, str]:
    """Nothing of the developer's own SB_* settings: this installation is on its own."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("SB_")}
    return env | {
        "SB_DATA_DIR": str(data),
        "SB_DATABASE_URL": database_url,
        "SB_REDIS_URL": redis_url,
        "SB_JWT_SECRET": generate_secret(),
        "SB_KEY_PREFIX": "faults",
        "SB_LOG_JSON": "false",
        "SB_CONSUMER_BLOCK_MS": "200",
        "SB_CONSUMER_RECLAIM_IDLE_MS": "2000",
        "SB_OUTBOX_SWEEP_INTERVAL_SECONDS": "0.5",
        "SB_OUTBOX_SWEEP_MIN_AGE_SECONDS": "1",
        "SB_PRESENCE_HEARTBEAT_SECONDS": "1",
        "SB_WS_IDLE_TIMEOUT_SECONDS": "600",
        **{f"SB_{name.upper()}_URL": url for name, url in urls.items()},
        **{f"SB_{name.upper()}": str(value) for name, value in TEST_LIMITS.items()},
    }


def _switchboard_up(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "switchboard.cli", "up"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def installation(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Installation]:
    data = tmp_path_factory.mktemp("faults")
    servers = PrivateServers(data / "servers")
    pg_port = await asyncio.to_thread(servers.ensure_postgres, free_port())
    redis_port = await asyncio.to_thread(servers.ensure_redis, free_port())
    database_url = f"postgresql+asyncpg://postgres@127.0.0.1:{pg_port}/switchboard"
    # Ports chosen freely: `up` serves each service on the port of its SB_<SERVICE>_URL.
    urls = {spec.name: f"http://127.0.0.1:{free_port()}" for spec in service_specs()}
    env = _environment(data, database_url, f"redis://127.0.0.1:{redis_port}/0", urls)
    # The suite's processes are `up`'s children: Suite only knows their URLs and environment.
    suite = Suite(settings=Settings(), log_dir=data, env=env, urls=urls)
    up = _switchboard_up(env, data / "up.log")
    installation = Installation(suite, servers, up, pg_port, redis_port, database_url)
    try:
        await installation.ready(timeout=120)
        yield installation
    finally:
        await asyncio.to_thread(installation.stop)
        await asyncio.to_thread(servers.stop_postgres)
        await asyncio.to_thread(servers.stop_redis)
        shutil.rmtree(data / "servers", ignore_errors=True)


# The clients ------------------------------------------------------------------------------


async def _connected(suite: Suite, side: str, token: str) -> SocketClient:
    """A logged-in socket, trying again until the gateway takes it."""
    while True:
        with contextlib.suppress(Exception):
            return await asyncio.wait_for(connect(suite, side, token), timeout=5)
        await asyncio.sleep(0.2)


@dataclass
class Visitor:
    """Sends one message at a time and sends it again (same client_message_id) until it is
    acknowledged."""

    suite: Suite
    token: str
    conversation_id: str
    acknowledged: dict[str, float] = field(default_factory=dict)  # client_message_id -> when
    retries: int = 0  # sends sent again: refused (upstream_unavailable) or never answered
    _socket: SocketClient | None = None

    async def send(self, client_message_id: str, *, give_up_at: float) -> None:
        payload = {
            "conversation_id": self.conversation_id,
            "content": client_message_id,
            "client_message_id": client_message_id,
        }
        while time.monotonic() < give_up_at:
            if self._socket is None or self._socket.closed.is_set():
                self._socket = await _connected(self.suite, "visitor", self.token)
            try:
                response = await self._socket.request("send_message", payload, timeout=5)
            except Exception:  # the socket closed, or no answer: reconnect, send it again
                self._socket = None
                self.retries += 1
                continue
            if response["ok"]:
                self.acknowledged[client_message_id] = time.monotonic()
                return
            self.retries += 1
            await asyncio.sleep(0.2)  # upstream_unavailable: the service is on its way back

    async def keep_sending(self, prefix: str, stop: asyncio.Event) -> None:
        number = 0
        while not stop.is_set():
            number += 1
            await self.send(f"{prefix}-{number}", give_up_at=time.monotonic() + 60)
            await asyncio.sleep(SEND_PAUSE_SECONDS)


@dataclass
class Agent:
    """Listens on its socket, reconnects when it closes, and resumes from its last event."""

    suite: Suite
    token: str
    delivered: dict[str, int] = field(default_factory=dict)  # message id -> times pushed
    last_event_id: str | None = None
    resyncs: int = 0
    heard: asyncio.Event = field(default_factory=asyncio.Event)  # set at every message
    connected: asyncio.Event = field(default_factory=asyncio.Event)  # once, the first time

    async def listen(self) -> None:
        while True:
            socket = await _connected(self.suite, "agent", self.token)
            try:
                await self._resume(socket)
                self.connected.set()
                while not socket.closed.is_set():
                    with contextlib.suppress(TimeoutError):
                        self._heard(await asyncio.wait_for(socket.events.get(), timeout=0.5))
                while not socket.events.empty():
                    self._heard(socket.events.get_nowait())
            except Exception:
                await asyncio.sleep(0.2)
            finally:
                with contextlib.suppress(Exception):
                    await socket.close()

    async def _resume(self, socket: SocketClient) -> None:
        if self.last_event_id is None:
            return
        answer = await socket.request("resume", {"last_event_id": self.last_event_id})
        if answer["ok"]:
            return
        if answer["error"]["code"] != "resync_required":  # Redis away: reconnect, resume again
            raise ConnectionError(f"resume failed: {answer['error']}")
        self.resyncs += 1  # the test reloads the conversation over REST

    def _heard(self, frame: dict[str, Any]) -> None:
        self.last_event_id = frame["id"]
        if frame["event"] == "message.created":
            message_id = frame["data"]["message"]["id"]
            self.delivered[message_id] = self.delivered.get(message_id, 0) + 1
            self.heard.set()


# The faults -------------------------------------------------------------------------------


async def _kill(installation: Installation, child: str) -> None:
    os.kill(installation.children()[child], signal.SIGKILL)


async def _restart_redis(installation: Installation, *, keep_data: bool) -> None:
    servers = installation.servers
    await asyncio.to_thread(servers.stop_redis)
    if not keep_data:  # a Redis without persistence comes back empty: no streams, no groups
        for path in servers.redis_dir.iterdir():
            if path.name != "redis.log":
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    await asyncio.sleep(1.0)
    await asyncio.to_thread(servers.ensure_redis, installation.redis_port)


async def _kill_postgres(installation: Installation) -> None:
    pgdata = installation.servers.pgdata
    postmaster = int((pgdata / "postmaster.pid").read_text().split()[0])
    os.killpg(os.getpgid(postmaster), signal.SIGKILL)  # the server and every backend at once
    await asyncio.sleep(1.0)  # the operator notices, then starts it again
    await asyncio.to_thread(installation.servers.ensure_postgres, installation.pg_port)


Fault = Callable[[Installation], Awaitable[None]]
FAULTS: list[tuple[str, Fault, str | None]] = [  # name, inflict, the child it kills
    ("kill -9 chat", lambda i: _kill(i, "chat"), "chat"),
    ("kill -9 gateway", lambda i: _kill(i, "gateway"), "gateway"),
    ("kill -9 routing", lambda i: _kill(i, "routing"), "routing"),
    ("kill -9 routing worker", lambda i: _kill(i, "routing worker"), "routing worker"),
    ("Redis restart", lambda i: _restart_redis(i, keep_data=True), None),
    ("Redis restart, data lost", lambda i: _restart_redis(i, keep_data=False), None),
    ("kill -9 PostgreSQL, restart", _kill_postgres, None),
]


# Checking ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    fault: str
    killed: str | None
    acknowledged: int
    stored: int
    lost: int
    duplicated: int
    undelivered: int
    resynced: bool
    restarted: list[str]
    retried: int  # sends the visitor had to send again
    answers: dict[str, int]  # what the REST reads got meanwhile: "200", "503 ..." -> count
    outage: float  # the longest wait for an acknowledgement around the fault
    recovered: float  # from the fault until every service is ready and a killed child is back
    missing: list[str] = field(default_factory=list)  # the undelivered ones' client ids

    def row(self) -> str:
        answers = ", ".join(f"{answer} x{count}" for answer, count in sorted(self.answers.items()))
        return (
            f"| {self.fault} | {self.acknowledged} | {self.stored} | {self.lost} |"
            f" {self.duplicated} | {self.undelivered} | {'yes' if self.resynced else 'no'} |"
            f" {', '.join(self.restarted) or '-'} | {self.retried} | {answers} |"
            f" {self.outage:.1f} s | {self.recovered:.1f} s |"
        )


HEADER = (
    "| fault | acknowledged | stored | lost | duplicated | undelivered | resync | restarted"
    " | sends retried | REST reads | outage | recovered |"
    "\n|---|---|---|---|---|---|---|---|---|---|---|---|"
)


async def _read_over_rest(
    http: httpx.AsyncClient, conversation_id: str, stop: asyncio.Event, answers: dict[str, int]
) -> None:
    """The agent's screen reloading the conversation: what does a REST client hear?"""
    while not stop.is_set():
        try:
            response = await http.get(f"/v1/conversations/{conversation_id}", timeout=3)
            answer = str(response.status_code)
            if response.status_code >= 500:
                answer += f" {response.json()['error']['code']}"
                answer += "" if "retry-after" in response.headers else " without Retry-After"
        except httpx.HTTPError:
            answer = "no answer"
        answers[answer] = answers.get(answer, 0) + 1
        await asyncio.sleep(0.1)


async def _stored(installation: Installation, conversation_id: str, prefix: str) -> list[Any]:
    url = installation.database_url.replace("+asyncpg", "")
    connection = await asyncpg.connect(url)
    try:
        return list(
            await connection.fetch(
                "SELECT id::text, content FROM chat.message"
                " WHERE conversation_id = $1 AND content LIKE $2",
                conversation_id,
                f"{prefix}-%",
            )
        )
    finally:
        await connection.close()


async def _recovered(installation: Installation, killed: str | None, before: int | None) -> None:
    """Until a killed child runs again (a new pid) and every service is ready."""
    deadline = time.monotonic() + RECOVERY_BOUND_SECONDS * 2
    while killed is not None and installation.children().get(killed, before) == before:
        assert time.monotonic() < deadline, f"{killed} was not restarted:\n{installation.log()}"
        await asyncio.sleep(0.1)
    await installation.ready(timeout=RECOVERY_BOUND_SECONDS * 2)


def _outage(acknowledged: list[float], fault_at: float) -> float:
    before = [at for at in acknowledged if at <= fault_at]
    times = sorted([*before[-1:], fault_at, *(at for at in acknowledged if at > fault_at)])
    return max((b - a for a, b in itertools.pairwise(times)), default=0.0)


async def _reloaded(http: httpx.AsyncClient, conversation_id: str) -> set[str]:
    """Every message id of the conversation over REST, page after page (what a client told
    to resync does)."""
    ids: set[str] = set()
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = await http.get(f"/v1/conversations/{conversation_id}/messages", params=params)
        assert page.status_code == 200, page.text
        ids.update(item["id"] for item in page.json()["items"])
        cursor = page.json().get("next_cursor")
        if not cursor:
            return ids


async def _undelivered(
    http: httpx.AsyncClient, agent: Agent, conversation_id: str, ids: list[str], resynced: bool
) -> list[str]:
    """How many stored messages the agent never received, after waiting for stragglers (the
    outbox sweeper) and, when resume said resync, after reloading over REST."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(i not in agent.delivered for i in ids):
        agent.heard.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(agent.heard.wait(), timeout=0.5)
    missing = [i for i in ids if i not in agent.delivered]
    if missing and resynced:
        listed = await _reloaded(http, conversation_id)
        missing = [i for i in missing if i not in listed]
    return missing


async def _left_unhandled(installation: Installation) -> dict[str, int]:
    """Events still pending in a consumer group (stream/group -> count), once the consumers
    had the time to reclaim what the killed ones held."""
    redis = Redis.from_url(f"redis://127.0.0.1:{installation.redis_port}/0")
    try:
        deadline = time.monotonic() + RECOVERY_BOUND_SECONDS
        while True:
            pending: dict[str, int] = {}
            async for key in redis.scan_iter(match="{faults}:stream:*"):
                with contextlib.suppress(ResponseError):  # a stream nobody consumes
                    for group in await redis.xinfo_groups(key):
                        if group["pending"]:
                            pending[f"{key.decode()}/{group['name'].decode()}"] = group["pending"]
            if not pending or time.monotonic() > deadline:
                return pending
            await asyncio.sleep(0.5)
    finally:
        await redis.aclose()


# The test ---------------------------------------------------------------------------------


async def test_the_suite_recovers_from_each_fault_without_losing_an_acknowledged_message(
    installation: Installation, request: pytest.FixtureRequest
) -> None:
    suite = installation.suite
    async with httpx.AsyncClient(base_url=suite.base_url, timeout=10.0) as http:
        shop = await open_shop(suite, http)
        lan = await shop.agent("Lan")
        guest = await shop.visitor()
        opened = await http.post(
            "/v1/public/conversations", json={"content": "Xin chào"}, headers=guest.headers
        )
        assert opened.status_code == 201, opened.text
        conversation_id = opened.json()["id"]
        visitor = Visitor(suite, guest.token, conversation_id)
        agent = Agent(suite, lan.token)
        listening = asyncio.create_task(agent.listen())
        await asyncio.wait_for(agent.connected.wait(), timeout=10)
        http.headers.update(lan.headers)
        outcomes: list[Outcome] = []
        try:
            for number, (name, inflict, killed) in enumerate(FAULTS, start=1):
                outcomes.append(
                    await _one_fault(
                        installation, http, visitor, agent, f"f{number}", name, inflict, killed
                    )
                )
        finally:
            listening.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listening
            table = "\n".join([HEADER, *(outcome.row() for outcome in outcomes)])
            (suite.log_dir / "fault-table.md").write_text(table + "\n")
            request.config.stash[FAULT_TABLE] = table

    for outcome in outcomes:
        assert outcome.lost == 0, outcome
        assert outcome.duplicated == 0, outcome
        assert outcome.undelivered == 0, outcome
        assert outcome.recovered < RECOVERY_BOUND_SECONDS, outcome
        # A killed child is restarted; an outage of PostgreSQL or Redis restarts nobody.
        assert outcome.restarted == ([outcome.killed] if outcome.killed else []), outcome
        # While something is down a read is 503 with Retry-After (or, gateway gone, no answer).
        assert all(a in ("200", "no answer") or _retry_later(a) for a in outcome.answers), outcome
    assert await _left_unhandled(installation) == {}


def _retry_later(answer: str) -> bool:
    return answer.startswith("503 ") and not answer.endswith("without Retry-After")


async def _one_fault(
    installation: Installation,
    http: httpx.AsyncClient,
    visitor: Visitor,
    agent: Agent,
    prefix: str,
    name: str,
    inflict: Fault,
    killed: str | None,
) -> Outcome:
    stop = asyncio.Event()
    resyncs, retries, answers = agent.resyncs, visitor.retries, dict[str, int]()
    sending = asyncio.create_task(visitor.keep_sending(prefix, stop))
    reading = asyncio.create_task(_read_over_rest(http, visitor.conversation_id, stop, answers))
    try:
        await asyncio.sleep(STEADY_SECONDS)
        before = installation.children()
        fault_at = time.monotonic()
        await inflict(installation)
        await _recovered(installation, killed, before.get(killed or ""))
        recovered = time.monotonic() - fault_at
        await asyncio.sleep(STEADY_SECONDS)
    finally:
        stop.set()
        await asyncio.gather(sending, reading)
    after = installation.children()
    restarted = sorted(label for label, pid in before.items() if after.get(label) != pid)
    acknowledged = {
        cid: at for cid, at in visitor.acknowledged.items() if cid.startswith(f"{prefix}-")
    }
    rows = await _stored(installation, visitor.conversation_id, prefix)
    contents = [row["content"] for row in rows]
    resynced = agent.resyncs > resyncs
    missing = await _undelivered(
        http, agent, visitor.conversation_id, [row["id"] for row in rows], resynced
    )
    return Outcome(
        fault=name,
        killed=killed,
        acknowledged=len(acknowledged),
        stored=len(set(contents)),
        lost=len(set(acknowledged) - set(contents)),
        duplicated=len(contents) - len(set(contents)),
        undelivered=len(missing),
        missing=[row["content"] for row in rows if row["id"] in missing],
        resynced=resynced,
        restarted=restarted,
        retried=visitor.retries - retries,
        answers=answers,
        outage=_outage(sorted(acknowledged.values()), fault_at),
        recovered=recovered,
    )
