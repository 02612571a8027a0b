"""The load generator: runs in a process of its own and reports its own CPU use.

``run(task, config)`` starts a spawned process that runs ``TASKS[task](config, control)`` on
uvloop and returns its result. ``control`` lets the task tell the parent it is holding its
sockets (``await control.ready(info)``) and wait to be released (``await control.released()``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import multiprocessing
import os
import resource
import statistics
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import httpx
import orjson
import uvloop

from switchboard.core.testing import SocketClient

# The generator was the bottleneck when it used more than this share of one core, or sent
# later than this behind its schedule (p99 of its send lag).
CPU_LIMIT = 0.90
LAG_LIMIT_S = 0.010


def raise_nofile(wanted: int) -> dict[str, int | bool]:
    """Raise RLIMIT_NOFILE towards ``wanted``; the limit reached and whether it is capped."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = max(soft, wanted)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, max(hard, target)))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return {"nofile": soft, "capped": soft < wanted}


class Control:
    def __init__(self, pipe: Connection) -> None:
        self.pipe = pipe

    async def ready(self, info: dict[str, Any]) -> None:
        self.pipe.send(("ready", info))

    async def released(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.pipe.recv)


class CpuWindow:
    """This process's CPU use over a window, as a share of one core."""

    def __enter__(self) -> CpuWindow:
        self.cpu0, self.wall0 = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *_: Any) -> None:
        self.share = (time.process_time() - self.cpu0) / max(time.perf_counter() - self.wall0, 1e-9)


def _child(task: str, config: dict[str, Any], pipe: Connection) -> None:
    limits = raise_nofile(int(config.get("fds", 1024)) + 256)
    try:
        result = uvloop.run(TASKS[task](config, Control(pipe)))
        result["generator_nofile"] = limits
        pipe.send(("done", result))
    except BaseException as exc:
        pipe.send(("error", repr(exc)))
        raise


class Generator:
    """The generator process of one task; ``ready()`` and ``release()`` for holding tasks."""

    def __init__(self, task: str, config: dict[str, Any]) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipe, child_pipe = context.Pipe()
        self.process = context.Process(target=_child, args=(task, config, child_pipe), daemon=True)
        self.process.start()

    async def _receive(self, timeout: float) -> tuple[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.pipe.poll():
            if loop.time() > deadline:
                raise TimeoutError("the generator did not answer")
            if not self.process.is_alive() and not self.pipe.poll():
                raise RuntimeError(f"the generator died ({self.process.exitcode})")
            await asyncio.sleep(0.05)
        kind, value = self.pipe.recv()
        if kind == "error":
            raise RuntimeError(f"the generator failed: {value}")
        return kind, value

    async def ready(self, timeout: float = 600) -> dict[str, Any]:
        kind, value = await self._receive(timeout)
        assert kind == "ready", kind
        return dict(value)

    def release(self) -> None:
        self.pipe.send("go")

    async def result(self, timeout: float = 900) -> dict[str, Any]:
        kind, value = await self._receive(timeout)
        assert kind == "done", kind
        self.process.join(timeout=10)
        return dict(value)


async def run(task: str, config: dict[str, Any], timeout: float = 900) -> dict[str, Any]:
    return await Generator(task, config).result(timeout)


def percentiles(samples: list[float]) -> dict[str, float | None]:
    """p50, p99, p99.9 and max, in milliseconds."""
    if not samples:
        return {"p50": None, "p99": None, "p999": None, "max": None, "n": 0}
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {
        "p50": at(0.50),
        "p99": at(0.99),
        "p999": at(0.999),
        "max": ordered[-1] * 1000,
        "n": len(ordered),
    }


# --- End-to-end open loop -------------------------------------------------------------------


@dataclass
class Pair:
    conversation_id: str
    visitor: SocketClient
    agent: SocketClient


@dataclass
class OpenLoop:
    pairs: list[Pair]
    scheduled: dict[int, tuple[float, str, float]] = field(default_factory=dict)
    received: dict[int, float] = field(default_factory=dict)
    duplicated: int = 0
    failed: int = 0
    responses: dict[int, float] = field(default_factory=dict)
    trace: dict[int, dict[str, Any]] = field(default_factory=dict)
    want_trace: bool = False

    async def listen(self, socket: SocketClient, side: str, conversation_id: str) -> None:
        """Record the first receipt of each message by the other side of its conversation."""
        while True:
            frame = await socket.events.get()
            if frame.get("event") != "message.created":
                continue
            now = time.perf_counter()
            data = frame["data"]
            if data.get("conversation_id") != conversation_id:
                continue
            message = data.get("message") or {}
            content = str(message.get("content", ""))
            if not content.startswith("bench "):
                continue
            seq = int(content.split()[1])
            sent = self.scheduled.get(seq)
            if sent is None or sent[1] == side:
                continue  # the sender's own copy
            if seq in self.received:
                self.duplicated += 1
                continue
            self.received[seq] = now
            if self.want_trace:
                self.trace[seq] = {
                    "recv_wall": time.time(),
                    "push_id": frame.get("id"),
                    "message_id": message.get("id"),
                    "created_at": message.get("created_at"),
                }

    def on_response(self, seq: int, future: asyncio.Future[dict[str, Any]]) -> None:
        if future.cancelled() or not future.result().get("ok"):
            self.failed += 1
        else:
            self.responses[seq] = time.perf_counter()


async def _connect_pairs(config: dict[str, Any]) -> list[Pair]:
    pairs: list[Pair] = []
    for item in config["pairs"]:
        visitor = await _open(config["ws_url"], "visitor", item["visitor_token"])
        agent = await _open(config["ws_url"], "agent", item["agent_token"])
        pairs.append(Pair(item["conversation_id"], visitor, agent))
    return pairs


async def e2e(config: dict[str, Any], control: Control) -> dict[str, Any]:
    """Open loop: visitors at ``visitor_rate`` and agents at ``agent_rate`` msg/s, both spread
    evenly over the conversations; latency from the scheduled send to the other side's push."""
    pairs = await _connect_pairs(config)
    loop_state = OpenLoop(pairs, want_trace=bool(config.get("trace")))
    listeners = [
        asyncio.create_task(loop_state.listen(socket, side, pair.conversation_id))
        for pair in pairs
        for socket, side in ((pair.visitor, "visitor"), (pair.agent, "agent"))
    ]
    results: list[dict[str, Any]] = []
    for step in config["steps"]:
        results.append(await _open_loop_step(config, loop_state, step))
        if config.get("stop_on_fail") and not results[-1]["held"]:
            break
    stats: dict[str, Any] = {}
    if config.get("stats"):
        stats = (await pairs[0].visitor.request("stats"))["payload"]
    for task in listeners:
        task.cancel()
    for pair in pairs:
        await pair.visitor.close()
        await pair.agent.close()
    return {"steps": results, "server_hops_us": stats}


async def _open_loop_step(
    config: dict[str, Any], state: OpenLoop, step: dict[str, Any]
) -> dict[str, Any]:
    visitor_rate, agent_rate = float(step["visitor_rate"]), float(step["agent_rate"])
    seconds = float(step["seconds"])
    # One merged schedule: (time offset, side); each side's sends rotate over the pairs.
    schedule: list[tuple[float, str]] = []
    for side, rate, phase in (("visitor", visitor_rate, 0.0), ("agent", agent_rate, 0.5)):
        if rate > 0:
            schedule += [((i + phase) / rate, side) for i in range(int(seconds * rate))]
    schedule.sort()
    base = len(state.scheduled) + 1 + 10_000_000 * int(step.get("index", 0))
    pairs, lags = state.pairs, []
    counters = {"visitor": 0, "agent": 0}
    request_ids = iter(range(base, base + 10_000_000))
    loop = asyncio.get_running_loop()
    seqs: list[int] = []
    await asyncio.sleep(0.2)
    with CpuWindow() as cpu:
        start = time.perf_counter() + 0.05
        for offset, side in schedule:
            due = start + offset
            delay = due - time.perf_counter()
            if delay > 0.0005:
                await asyncio.sleep(delay)
            now = time.perf_counter()
            lags.append(max(0.0, now - due))
            seq = next(request_ids)
            pair = pairs[counters[side] % len(pairs)]
            counters[side] += 1
            socket = pair.visitor if side == "visitor" else pair.agent
            state.scheduled[seq] = (due, side, time.time() - (now - due))
            seqs.append(seq)
            request_id = f"b-{seq}"
            future: asyncio.Future[dict[str, Any]] = loop.create_future()
            future.add_done_callback(functools.partial(state.on_response, seq))
            socket.responses[request_id] = future
            payload = {"conversation_id": pair.conversation_id, "content": f"bench {seq}"}
            frame = {"type": "request", "request_id": request_id, "action": "send_message"}
            await socket.connection.send(orjson.dumps({**frame, "payload": payload}).decode())
        sent_at = time.perf_counter()
        elapsed = sent_at - start
    # Drain: wait for the stragglers (they count in the latency: they are late, not lost).
    drain_deadline = time.perf_counter() + float(config.get("drain_seconds", 5.0))
    while time.perf_counter() < drain_deadline and any(s not in state.received for s in seqs):  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    latencies: dict[str, list[float]] = {"visitor": [], "agent": []}
    timeline: list[tuple[float, float]] = []
    lost = 0
    for seq in seqs:
        due, side, _ = state.scheduled[seq]
        if seq in state.received:
            latency = state.received[seq] - due
            latencies[side].append(latency)
            timeline.append((due - start, latency))
        else:
            lost += 1
    both = latencies["visitor"] + latencies["agent"]
    # Growing backlog: the last fifth of the step markedly slower than the first fifth.
    timeline.sort()
    fifth = max(1, len(timeline) // 5)
    head = statistics.median(x for _, x in timeline[:fifth]) if timeline else 0.0
    tail = statistics.median(x for _, x in timeline[-fifth:]) if timeline else 0.0
    growing = tail > 2 * head + 0.050
    lag = percentiles(lags)
    bottleneck = cpu.share > CPU_LIMIT or (lag["p99"] or 0) > LAG_LIMIT_S * 1000
    overall = percentiles(both)
    held = (
        not bottleneck
        and lost == 0
        and state.failed == 0
        and not growing
        and (overall["p99"] or 1e9) <= float(config.get("p99_limit_ms", 100))
    )
    result: dict[str, Any] = {
        "visitor_rate": visitor_rate,
        "agent_rate": agent_rate,
        "rate": visitor_rate + agent_rate,
        "seconds": seconds,
        "achieved_send_rate": len(seqs) / elapsed if elapsed > 0 else None,
        "sent": len(seqs),
        "lost": lost,
        "duplicated": state.duplicated,
        "failed": state.failed,
        "visitor_to_agent_ms": percentiles(latencies["visitor"]),
        "agent_to_visitor_ms": percentiles(latencies["agent"]),
        "all_ms": overall,
        "head_p50_ms": head * 1000,
        "tail_p50_ms": tail * 1000,
        "backlog_growing": growing,
        "generator_cpu": cpu.share,
        "generator_lag_ms": lag,
        "generator_bound": bottleneck,
        "held": held,
    }
    if state.want_trace:
        rows = []
        for seq in seqs:
            if seq in state.trace and seq in state.responses:
                due, side, send_wall = state.scheduled[seq]
                rows.append(
                    {
                        **state.trace[seq],
                        "side": side,
                        "send_wall": send_wall,
                        "response_ms": (state.responses[seq] - due) * 1000,
                        "latency_ms": (state.received[seq] - due) * 1000,
                    }
                )
        result["trace"] = rows
    state.duplicated = state.failed = 0
    return result


# --- Idle sockets and connect storm ---------------------------------------------------------


async def _open(ws_url: str, side: str, token: str) -> SocketClient:
    """A socket of ``side`` (agent or visitor), logged in."""
    socket = await SocketClient.open(f"{ws_url}/v1/ws/{side}")
    answer = await socket.login(token)
    if not answer["ok"]:
        raise ConnectionError(f"login refused: {answer['error']}")
    return socket


async def idle(config: dict[str, Any], control: Control) -> dict[str, Any]:
    """Open ``len(tokens)`` logged-in sockets, ``batch`` at a time; hold them until released."""
    tokens: list[str] = config["tokens"]
    sockets: list[SocketClient] = []
    failures: list[str] = []
    batch = int(config.get("batch", 200))
    # An application ping per socket every ``keepalive`` seconds (staggered): the gateway
    # closes a logged-in socket that says nothing for SB_WS_IDLE_TIMEOUT_SECONDS. The pings
    # start with the first sockets: opening 20,000 can take longer than that timeout.
    keepalive = float(config.get("keepalive_seconds", 20.0))

    async def ping_all() -> None:
        while True:
            await asyncio.sleep(keepalive / 10)
            targets = list(sockets)  # a round over those open now; new ones join the next
            for n, socket in enumerate(targets):
                if n % 100 == 0:
                    await asyncio.sleep(keepalive * 0.9 * 100 / max(len(targets), 1))
                frame = {"type": "request", "request_id": f"k-{n}", "action": "ping"}
                with contextlib.suppress(Exception):
                    await socket.connection.send(orjson.dumps({**frame, "payload": {}}).decode())

    pinger = asyncio.create_task(ping_all())
    started = time.perf_counter()
    for i in range(0, len(tokens), batch):
        opened = await asyncio.gather(
            *(_open(config["ws_url"], config["side"], t) for t in tokens[i : i + batch]),
            return_exceptions=True,
        )
        for item in opened:
            if isinstance(item, BaseException):
                failures.append(repr(item)[:200])
            else:
                sockets.append(item)
    connected_s = time.perf_counter() - started
    with CpuWindow() as cpu:
        await control.ready({"held": len(sockets), "failures": len(failures)})
        await control.released()
    pinger.cancel()
    alive = sum(1 for s in sockets if s.connection.close_code is None)
    await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
    return {
        "held": len(sockets),
        "alive_at_release": alive,
        "failures": len(failures),
        "first_failures": failures[:3],
        "connect_seconds": connected_s,
        "generator_cpu_idle": cpu.share,
    }


async def storm(config: dict[str, Any], control: Control) -> dict[str, Any]:
    """Every client connects and logs in at once: time until all are in, failures."""
    tokens: list[str] = config["tokens"]
    times: list[float] = []

    async def one(token: str) -> SocketClient:
        t0 = time.perf_counter()
        socket = await _open(config["ws_url"], config["side"], token)
        times.append(time.perf_counter() - t0)
        return socket

    with CpuWindow() as cpu:
        started = time.perf_counter()
        opened = await asyncio.gather(*(one(t) for t in tokens), return_exceptions=True)
        total = time.perf_counter() - started
    sockets = [s for s in opened if isinstance(s, SocketClient)]
    failures = [repr(s)[:200] for s in opened if isinstance(s, BaseException)]
    await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
    return {
        "clients": len(tokens),
        "connected": len(sockets),
        "failures": len(failures),
        "first_failures": failures[:3],
        "all_connected_ms": total * 1000 if not failures else None,
        "elapsed_ms": total * 1000,
        "per_client_ms": percentiles(times),
        "generator_cpu": cpu.share,
        "generator_bound": cpu.share > CPU_LIMIT,
    }


# --- Assignment -----------------------------------------------------------------------------


@dataclass
class Assignments:
    """Every ``conversation.assigned`` push an agent received for itself."""

    pushes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    first_seen: dict[str, float] = field(default_factory=dict)

    async def listen(self, agent_id: str, socket: SocketClient) -> None:
        while True:
            frame = await socket.events.get()
            if frame.get("event") != "conversation.assigned":
                continue
            data = frame["data"]
            if data.get("assignee_id") != agent_id:
                continue  # a copy for a fellow inbox member
            conversation_id = data["conversation_id"]
            if conversation_id not in self.first_seen:
                self.first_seen[conversation_id] = time.time()
            self.pushes.setdefault(conversation_id, []).append(
                {"event_id": frame.get("id"), "assignee_id": agent_id}
            )


async def _assign_phase(
    http: httpx.AsyncClient, state: Assignments, phase: dict[str, Any], wait_seconds: float
) -> dict[str, Any]:
    """Open one conversation per token: at ``rate`` per second (open loop, latency from the
    scheduled send time), or all at once (``rate`` None: from the moment the burst starts)."""
    tokens: list[str] = phase["tokens"]
    rate = phase.get("rate")
    opened: dict[str, dict[str, Any]] = {}
    failures: list[str] = []
    lags: list[float] = []

    async def open_one(token: str, n: int, due_wall: float) -> None:
        try:
            response = await http.post(
                "/v1/public/conversations",
                json={"content": f"bench assign {n}"},
                headers={"Authorization": f"Bearer {token}"},
            )
        except httpx.HTTPError as exc:
            failures.append(repr(exc)[:200])
            return
        answered = time.time()
        if response.status_code != 201:
            failures.append(f"{response.status_code} {response.text[:200]}")
            return
        body = response.json()
        opened[body["id"]] = {
            "due": due_wall,
            "created_at": _wall(body["created_at"]),
            "answered": answered,
        }

    pids: dict[str, int] = phase.get("pids", {})
    cpu_before = {name: _cpu_seconds(pid) for name, pid in pids.items()}
    with CpuWindow() as cpu:
        if rate is None:
            now = time.time()
            await asyncio.gather(*(open_one(t, n, now) for n, t in enumerate(tokens)))
            elapsed = time.time() - now
        else:
            tasks: list[asyncio.Task[None]] = []
            start = time.perf_counter() + 0.05
            for n, token in enumerate(tokens):
                due = start + n / float(rate)
                delay = due - time.perf_counter()
                if delay > 0.0005:
                    await asyncio.sleep(delay)
                now = time.perf_counter()
                lags.append(max(0.0, now - due))
                due_wall = time.time() - (now - due)
                tasks.append(asyncio.create_task(open_one(token, n, due_wall)))
            elapsed = time.perf_counter() - start
            await asyncio.gather(*tasks)
        deadline = time.perf_counter() + wait_seconds
        while time.perf_counter() < deadline and any(  # noqa: ASYNC110
            c not in state.first_seen for c in opened
        ):
            await asyncio.sleep(0.05)
    cpu_per_conversation_ms = {
        name: (_cpu_seconds(pid) - cpu_before[name]) / max(len(opened), 1) * 1000
        for name, pid in pids.items()
    }
    seen = {c: t for c, t in opened.items() if c in state.first_seen}
    lag = percentiles(lags)
    bound = cpu.share > CPU_LIMIT or (lag["p99"] or 0) > LAG_LIMIT_S * 1000
    return {
        "mode": "burst" if rate is None else "open",
        "rate": rate,
        "send_seconds": elapsed,
        "conversations": len(opened),
        "failures": len(failures),
        "first_failures": failures[:3],
        "assigned": len(seen),
        "unassigned": [c for c in opened if c not in state.first_seen],
        "from_scheduled_ms": percentiles([state.first_seen[c] - t["due"] for c, t in seen.items()]),
        "from_created_ms": percentiles(
            [state.first_seen[c] - t["created_at"] for c, t in seen.items()]
        ),
        "create_response_ms": percentiles([t["answered"] - t["due"] for t in opened.values()]),
        "trace": [
            {"conversation_id": c, **t, "pushed": state.first_seen.get(c)}
            for c, t in opened.items()
        ],
        "cpu_per_conversation_ms": cpu_per_conversation_ms,
        "generator_cpu": cpu.share,
        "generator_lag_ms": lag,
        "generator_bound": bound,
    }


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (includes the wait for stragglers: an overstatement
    by whatever the process does at idle)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def assign(config: dict[str, Any], control: Control) -> dict[str, Any]:
    """Agents online; conversations opened in ``phases`` (open loop at a rate, or a burst);
    who got what, and how fast."""
    ws_url, base_url = config["ws_url"], config["base_url"]
    agents: list[tuple[str, SocketClient]] = []
    for agent in config["agents"]:
        socket = await _open(ws_url, "agent", agent["token"])
        answer = await socket.request(
            "set_availability", {"status": "online", "accept_auto_assign": True}
        )
        assert answer["ok"], answer
        agents.append((agent["id"], socket))
    await asyncio.sleep(float(config.get("settle_seconds", 1.5)))
    state = Assignments()
    listeners = [asyncio.create_task(state.listen(a, s)) for a, s in agents]
    phases: dict[str, dict[str, Any]] = {}
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=base_url, timeout=60.0, limits=limits) as http:
        for phase in config["phases"]:
            wait = float(config.get("wait_seconds", 30))
            phases[phase["name"]] = await _assign_phase(http, state, phase, wait)
            await asyncio.sleep(float(config.get("pause_seconds", 2.0)))  # late duplicates
    for task in listeners:
        task.cancel()
    for _, socket in agents:
        await socket.close()
    return {
        "phases": phases,
        "pushed_assignee": {c: [p["assignee_id"] for p in v] for c, v in state.pushes.items()},
        "distinct_pushes": {c: len({p["event_id"] for p in v}) for c, v in state.pushes.items()},
        "push_ids": {c: v[0]["event_id"] for c, v in state.pushes.items()},
    }


def _wall(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


# --- Conversation list ----------------------------------------------------------------------


async def listing(config: dict[str, Any], control: Control) -> dict[str, Any]:
    """Sequential GETs of each query (of ``path``, the conversation list unless told); p50/p99
    per query."""
    out: dict[str, Any] = {}
    path = config.get("path", "/v1/conversations")
    headers = {"Authorization": f"Bearer {config['token']}"}
    async with httpx.AsyncClient(base_url=config["base_url"], timeout=30.0) as http:
        for name, params in config["queries"].items():
            params = dict(params)
            if params.pop("second_page", False):
                first = await http.get(path, params=params, headers=headers)
                params["cursor"] = first.json()["next_cursor"]
            for _ in range(5):  # warm-up
                await http.get(path, params=params, headers=headers)
            times, statuses = [], set()
            with CpuWindow() as cpu:
                for _ in range(int(config["requests"])):
                    t0 = time.perf_counter()
                    response = await http.get(path, params=params, headers=headers)
                    times.append(time.perf_counter() - t0)
                    statuses.add(response.status_code)
            items = len(response.json().get("items", []))
            out[name] = {
                **percentiles(times),
                "statuses": sorted(statuses),
                "items": items,
                "generator_cpu": cpu.share,
            }
    return out


TASKS: dict[str, Callable[[dict[str, Any], Control], Coroutine[Any, Any, dict[str, Any]]]] = {
    "e2e": e2e,
    "idle": idle,
    "storm": storm,
    "assign": assign,
    "listing": listing,
}
