"""The six scenarios and the latency budget; each returns a dict of figures (see report.py)."""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
import unicodedata
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import orjson
from redis.asyncio import Redis
from sqlalchemy.dialects import postgresql

from bench import gen
from bench.seed import seed
from bench.stack import (
    Driver,
    asyncpg_dsn,
    bare_server,
    cpu_seconds,
    cpu_share,
    rss_kib,
    timed_sql,
)
from switchboard.core.settings import Settings
from tests.suite import Suite


def bare_pairs(count: int) -> list[dict[str, str]]:
    return [
        {"conversation_id": f"c{n}", "visitor_token": f"c{n}", "agent_token": f"c{n}"}
        for n in range(count)
    ]


# --- 1 and 2: end to end, and the maximum sustained rate ------------------------------------


async def e2e(suite: Suite, settings: Settings, args: Any) -> dict[str, Any]:
    step = {"visitor_rate": args.rate, "agent_rate": args.reply_rate, "seconds": args.duration}
    async with Driver.open(suite) as driver:
        pairs = await driver.pairs(args.conversations)
    system = await gen.run("e2e", {"ws_url": suite.ws_url, "pairs": pairs, "steps": [step]})
    async with bare_server("chain", settings) as bare:
        baseline = await gen.run(
            "e2e",
            {
                "ws_url": bare.ws_url,
                "pairs": bare_pairs(args.conversations),
                "steps": [step],
                "stats": True,
            },
        )
    return {
        "system": system["steps"][0],
        "baseline": baseline["steps"][0],
        "baseline_hops_us": baseline["server_hops_us"],
        "pairs": pairs,
    }


def _rates(start: float, limit: float) -> list[float]:
    rates: list[float] = []
    rate = start
    while rate <= limit:
        rates.append(round(rate))
        rate *= 1.5
    return rates


async def throughput(
    suite: Suite, settings: Settings, args: Any, pairs: list[dict[str, str]]
) -> dict[str, Any]:
    steps = [
        {"visitor_rate": r / 2, "agent_rate": r / 2, "seconds": args.hold, "index": i + 1}
        for i, r in enumerate(_rates(args.start_rate, args.max_rate))
    ]
    common = {"steps": steps, "stop_on_fail": True, "p99_limit_ms": 100, "drain_seconds": 3.0}
    system = await gen.run("e2e", {**common, "ws_url": suite.ws_url, "pairs": pairs}, 3600)
    async with bare_server("chain", settings) as bare:
        baseline = await gen.run(
            "e2e", {**common, "ws_url": bare.ws_url, "pairs": bare_pairs(len(pairs))}, 3600
        )
    return {"system": _sustained(system["steps"]), "baseline": _sustained(baseline["steps"])}


def _sustained(steps: list[dict[str, Any]]) -> dict[str, Any]:
    held = [s for s in steps if s["held"]]
    last = steps[-1]
    reason = None
    if not last["held"]:
        if last["generator_bound"]:
            reason = "generator-bound"
        elif last["lost"] or last["failed"]:
            reason = f"lost {last['lost']}, failed {last['failed']}"
        elif last["backlog_growing"]:
            reason = "backlog growing"
        else:
            reason = f"p99 {last['all_ms']['p99']:.0f} ms > 100 ms"
    return {
        "max_rate": held[-1]["rate"] if held else 0,
        "stopped_at": None if last["held"] else last["rate"],
        "stop_reason": reason,
        "generator_bound": bool(not last["held"] and last["generator_bound"]),
        "steps": [
            {
                k: s[k]
                for k in (
                    "rate",
                    "achieved_send_rate",
                    "held",
                    "lost",
                    "failed",
                    "backlog_growing",
                    "generator_cpu",
                    "generator_bound",
                )
            }
            | {"p99_ms": s["all_ms"]["p99"], "p50_ms": s["all_ms"]["p50"]}
            for s in steps
        ],
    }


# --- Latency budget -------------------------------------------------------------------------


def _stream_ms(entry_id: str) -> float:
    return float(entry_id.split("-")[0])


def _iso(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


async def budget(
    suite: Suite, settings: Settings, args: Any, pairs: list[dict[str, str]]
) -> dict[str, Any]:
    """Per-message timestamps of a light run, joined with the chat and push stream entries.

    Redis entry ids carry milliseconds: a difference of two such stamps is unbiased on average
    (the sub-millisecond phase is uniform), so the means below are good to some 50 us.
    """
    rate = args.budget_rate / 2
    step = {"visitor_rate": rate, "agent_rate": rate, "seconds": args.budget_seconds}
    pids = {name: process.pid for name, process in suite.processes.items()}
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    run = await gen.run(
        "e2e", {"ws_url": suite.ws_url, "pairs": pairs[:10], "steps": [step], "trace": True}
    )
    sent = run["steps"][0]["sent"]
    # CPU per message of each process (includes connecting the sockets: a small overstatement).
    cpu_per_message_us = {
        name: (cpu_seconds(pid) - cpu_before[name]) / sent * 1e6 for name, pid in pids.items()
    }
    rows = run["steps"][0]["trace"]
    prefix = suite.env["SB_KEY_PREFIX"]
    redis = Redis.from_url(settings.redis_url)
    chat_entries: dict[str, tuple[float, float]] = {}
    try:
        entries = await redis.xrevrange(f"{{{prefix}}}:stream:chat", count=20_000)
        for entry_id, fields in entries:
            envelope = orjson.loads(fields[b"e"])
            if envelope.get("type") == "message.created":
                message_id = envelope["data"]["message"]["id"]
                chat_entries[message_id] = (
                    _stream_ms(entry_id.decode()) / 1000,
                    _iso(envelope["occurred_at"]),
                )
        # Bare Redis and PostgreSQL round trips from here, for the derived hops.
        t0 = time.perf_counter()
        for _ in range(200):
            await redis.xadd(f"{{{prefix}}}:bench-probe", {"e": b"x" * 600}, maxlen=1000)
        xadd_us = (time.perf_counter() - t0) / 200 * 1e6
        await redis.delete(f"{{{prefix}}}:bench-probe")
    finally:
        await redis.aclose()
    hops: dict[str, list[float]] = {
        k: []
        for k in (
            "send_to_created_at",
            "created_at_to_occurred_at",
            "occurred_at_to_chat_xadd",
            "chat_xadd_to_push_xadd",
            "push_xadd_to_client",
            "response",
            "total",
        )
    }
    for row in rows:
        chat = chat_entries.get(row["message_id"] or "")
        if chat is None or row["created_at"] is None or row["push_id"] is None:
            continue
        created = _iso(row["created_at"])
        chat_xadd, occurred = chat
        push = _stream_ms(row["push_id"]) / 1000
        hops["send_to_created_at"].append(created - row["send_wall"])
        hops["created_at_to_occurred_at"].append(occurred - created)
        hops["occurred_at_to_chat_xadd"].append(chat_xadd - occurred)
        hops["chat_xadd_to_push_xadd"].append(push - chat_xadd)
        hops["push_xadd_to_client"].append(row["recv_wall"] - push)
        hops["response"].append(row["response_ms"] / 1000)
        hops["total"].append(row["latency_ms"] / 1000)
    out: dict[str, Any] = {hop: _hop_figures(v) for hop, v in hops.items() if v}
    out["rate"] = args.budget_rate
    out["samples"] = len(hops["total"])
    out["cpu_per_message_us"] = cpu_per_message_us
    out["redis_xadd_rtt_us"] = xadd_us
    out["chat_direct"] = await _chat_direct(suite, pairs[0])
    return out


def _hop_figures(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "mean_us": statistics.fmean(ordered) * 1e6,
        "median_us": statistics.median(ordered) * 1e6,
        "p99_us": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1e6,
    }


async def _chat_direct(suite: Suite, pair: dict[str, str]) -> dict[str, float]:
    """POST a message straight to chat (no gateway), sequentially: chat's own round trip."""
    import httpx

    url = f"{suite.urls['chat']}/v1/public/conversations/{pair['conversation_id']}/messages"
    headers = {"Authorization": f"Bearer {pair['visitor_token']}"}
    times = []
    async with httpx.AsyncClient(timeout=10.0) as http:
        for n in range(105):
            t0 = time.perf_counter()
            response = await http.post(url, json={"content": f"direct {n}"}, headers=headers)
            assert response.status_code == 201, response.text
            if n >= 5:
                times.append(time.perf_counter() - t0)
    return {"p50_us": statistics.median(times) * 1e6, "mean_us": statistics.fmean(times) * 1e6}


# --- 3 and 4: idle sockets, connect storm ---------------------------------------------------


async def _hold(pid: int, ws_url: str, tokens: list[str], side: str) -> dict[str, Any]:
    await asyncio.sleep(1.0)
    before = rss_kib(pid)
    generator = gen.Generator(
        "idle", {"ws_url": ws_url, "tokens": tokens, "side": side, "fds": len(tokens)}
    )
    await generator.ready()
    await asyncio.sleep(2.0)
    after = rss_kib(pid)
    idle_cpu = await cpu_share(pid, 5.0)
    generator.release()
    result = await generator.result()
    held = result["held"]
    return {
        **result,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "kib_per_connection": (after - before) / held if held else None,
        "idle_cpu": idle_cpu,
    }


async def idle(suite: Suite, args: Any) -> dict[str, Any]:
    async with Driver.open(suite) as driver:
        tokens = [driver.visitor_token() for _ in range(args.idle)]
    system = await _hold(suite.processes["gateway"].pid, suite.ws_url, tokens, "visitor")
    async with bare_server("idle") as bare:
        baseline = await _hold(bare.process.pid, bare.ws_url, tokens, "visitor")
    return {"system": system, "baseline": baseline}


async def storm(suite: Suite, args: Any) -> dict[str, Any]:
    async with Driver.open(suite) as driver:
        tokens = [driver.visitor_token() for _ in range(args.storm)]
    config = {"tokens": tokens, "side": "visitor", "fds": len(tokens)}
    system = await gen.run("storm", {**config, "ws_url": suite.ws_url})
    async with bare_server("idle") as bare:
        baseline = await gen.run("storm", {**config, "ws_url": bare.ws_url})
    return {"system": system, "baseline": baseline}


# --- 5: assignment --------------------------------------------------------------------------


async def assignment(suite: Suite, settings: Settings, args: Any) -> dict[str, Any]:
    """An open loop (``--assign-rate`` conversations/s for ``--assign-duration`` s, latency
    from the scheduled send), then a burst (``--assign-conversations`` at once)."""
    opened = int(args.assign_rate * args.assign_duration) if args.assign_rate > 0 else 0
    total = opened + args.assign_conversations
    # Room for every conversation and a little more: routing's default capacity (5 per agent)
    # would queue the rest, which measures the queue, not the assignment. Tight enough that
    # the capacity check below means something.
    capacity = -(-total // args.agents) + 1
    async with Driver.open(suite) as driver:
        patched = await driver.http.patch(
            "/v1/accounts/current",
            json={"default_capacity": min(capacity, 1000)},
            headers=driver.shop.admin.headers,
        )
        assert patched.status_code == 200, patched.text
        agents = await driver.agents(args.agents)
        tokens = [v["token"] for v in await driver.visitors(total)]
        pids = {name: process.pid for name, process in suite.processes.items()}
        phases: list[dict[str, Any]] = []
        if opened:
            phases.append(
                {"name": "open", "rate": args.assign_rate, "tokens": tokens[:opened], "pids": pids}
            )
        if args.assign_conversations:
            phases.append({"name": "burst", "rate": None, "tokens": tokens[opened:], "pids": pids})
        system = await gen.run(
            "assign",
            {
                "ws_url": suite.ws_url,
                "base_url": suite.base_url,
                "agents": agents,
                "phases": phases,
            },
        )
        pushed = system["pushed_assignee"]
        stored = dict(
            zip(pushed, await asyncio.gather(*(driver.assignee(c) for c in pushed)), strict=True)
        )
    double = [
        c
        for c, assignees in pushed.items()
        if system["distinct_pushes"][c] != 1
        or len(set(assignees)) != 1
        or stored[c] != assignees[0]
    ]
    per_agent: dict[str, int] = {}
    for assignees in pushed.values():
        per_agent[assignees[0]] = per_agent.get(assignees[0], 0) + 1
    hops = await _assignment_hops(suite, settings, system)
    out: dict[str, Any] = {}
    for name, phase in system["phases"].items():
        trace = phase.pop("trace")
        out[name] = {
            **phase,
            "unassigned": len(phase["unassigned"]),
            "hops": hops(trace),
        }
    out["checks"] = {
        "conversations": total,
        "double_or_mismatched": len(double),
        "capacity": capacity,
        "over_capacity": sum(1 for n in per_agent.values() if n > capacity),
        "per_agent_min": min(per_agent.values(), default=0),
        "per_agent_max": max(per_agent.values(), default=0),
    }
    out["baseline"] = await _claim_baseline(settings, args)
    return out


_ASSIGN_HOPS = (
    "send_to_created_at",
    "created_at_to_created_xadd",
    "created_xadd_to_assignment_occurred",
    "assignment_occurred_to_routing_xadd",
    "routing_xadd_to_assigned_occurred",
    "assigned_occurred_to_chat_xadd",
    "chat_xadd_to_push_xadd",
    "push_xadd_to_socket",
    "create_response",
    "total",
)


async def _assignment_hops(suite: Suite, settings: Settings, system: dict[str, Any]) -> Any:
    """Per conversation: its stamps in chat's and routing's streams (entry ids carry
    milliseconds) joined with the generator's send, answer and receipt times; returns a
    function of a phase's trace giving the median and p99 of each hop."""
    prefix = suite.env["SB_KEY_PREFIX"]
    redis = Redis.from_url(settings.redis_url)
    created: dict[str, float] = {}
    assignment: dict[str, tuple[float, float]] = {}
    assigned: dict[str, tuple[float, float]] = {}
    try:
        for entry_id, fields in await redis.xrange(f"{{{prefix}}}:stream:chat"):
            envelope = orjson.loads(fields[b"e"])
            at = _stream_ms(entry_id.decode()) / 1000
            if envelope["type"] == "conversation.created":
                created[envelope["key"]] = at
            elif envelope["type"] == "conversation.assigned":
                assigned.setdefault(envelope["key"], (_iso(envelope["occurred_at"]), at))
        for entry_id, fields in await redis.xrange(f"{{{prefix}}}:stream:routing"):
            envelope = orjson.loads(fields[b"e"])
            if envelope["type"] == "assignment.created":
                at = _stream_ms(entry_id.decode()) / 1000
                assignment.setdefault(envelope["key"], (_iso(envelope["occurred_at"]), at))
    finally:
        await redis.aclose()
    push_ids: dict[str, str] = system["push_ids"]

    def hops(trace: list[dict[str, Any]]) -> dict[str, Any]:
        samples: dict[str, list[float]] = {hop: [] for hop in _ASSIGN_HOPS}
        for row in trace:
            c = row["conversation_id"]
            if row["pushed"] is None or c not in assignment or c not in assigned:
                continue
            if c not in created or push_ids.get(c) is None:
                continue
            push = _stream_ms(push_ids[c]) / 1000
            routed, routing_xadd = assignment[c]
            applied, chat_xadd = assigned[c]
            stamps = (
                row["due"],
                row["created_at"],
                created[c],
                routed,
                routing_xadd,
                applied,
                chat_xadd,
                push,
                row["pushed"],
            )
            for hop, (a, b) in zip(_ASSIGN_HOPS, itertools.pairwise(stamps), strict=False):
                samples[hop].append(b - a)
            samples["create_response"].append(row["answered"] - row["due"])
            samples["total"].append(row["pushed"] - row["due"])
        return {
            hop: {
                "median_ms": statistics.median(v) * 1000,
                "mean_ms": statistics.fmean(v) * 1000,
                "p99_ms": sorted(v)[min(len(v) - 1, int(0.99 * len(v)))] * 1000,
            }
            for hop, v in samples.items()
            if v
        } | {"samples": len(samples["total"])}

    return hops


async def _claim_baseline(settings: Settings, args: Any) -> dict[str, Any]:
    """One atomic claim round trip through bare asyncpg, ``agents`` claimers at once."""
    dsn = asyncpg_dsn(settings.database_url)
    pool = await asyncpg.create_pool(dsn, min_size=args.agents, max_size=args.agents)
    try:
        await pool.execute(
            "CREATE TABLE IF NOT EXISTS bench_queue (id bigserial PRIMARY KEY, agent int,"
            " queued_at timestamptz NOT NULL DEFAULT now())"
        )
        await pool.execute("TRUNCATE bench_queue")
        await pool.execute(
            "INSERT INTO bench_queue (agent) SELECT NULL FROM generate_series(1, $1)",
            args.assign_conversations,
        )
        times: list[float] = []
        claimed: list[int] = []

        async def claimer(agent: int) -> None:
            async with pool.acquire() as connection:
                while True:
                    t0 = time.perf_counter()
                    row = await connection.fetchrow(
                        "UPDATE bench_queue SET agent = $1 WHERE id = (SELECT id FROM bench_queue"
                        " WHERE agent IS NULL ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)"
                        " RETURNING id",
                        agent,
                    )
                    if row is None:
                        return
                    times.append(time.perf_counter() - t0)
                    claimed.append(row["id"])

        await asyncio.gather(*(claimer(n) for n in range(args.agents)))
        return {
            "ms": gen.percentiles(times),
            "claimed": len(claimed),
            "double": len(claimed) - len(set(claimed)),
        }
    finally:
        await pool.close()


# --- 6: conversation list -------------------------------------------------------------------


def _list_sql(
    account_id: uuid.UUID, me: uuid.UUID, query: dict[str, Any], cursor: Any
) -> tuple[str, list[Any]]:
    """The statement chat issues for the query (built by chat's own store function)."""
    from switchboard.chat.domain.finding import (
        ConversationFilter,
        ConversationSort,
        Listing,
        TimeRange,
    )
    from switchboard.chat.domain.status import ConversationStatus
    from switchboard.chat.store import finding
    from switchboard.core.pagination import PageQuery

    assignee = query.get("assignee")
    status = query.get("status")
    after = query.get("created_after")
    wanted = ConversationFilter(
        status=ConversationStatus(status) if status is not None else None,
        assignee=me if assignee == "me" else "unassigned" if assignee == "unassigned" else None,
        created=TimeRange(after=datetime.fromisoformat(after) if after else None),
        search=query.get("q"),
    )
    listing = Listing(wanted, ConversationSort(query.get("sort", "last_activity")))
    statement = finding.list_statement(account_id, listing, PageQuery(cursor=cursor, limit=50))
    # SQLAlchemy's dialect classes are not annotated.
    compiled = statement.compile(
        dialect=postgresql.asyncpg.dialect(),  # type: ignore[no-untyped-call]
        compile_kwargs={"render_postcompile": True},  # the searched text, written in
    )
    return str(compiled), [compiled.params[name] for name in compiled.positiontup or []]


QUERIES: dict[str, dict[str, Any]] = {
    "status=open": {"status": "open"},
    "assignee=unassigned": {"assignee": "unassigned"},
    "assignee=all": {"assignee": "all"},
    "assignee=all page 2": {"assignee": "all", "second_page": True},
    "assignee=me": {"assignee": "me"},
    "open, oldest first": {"status": "open", "sort": "oldest"},
}


def _search_queries(seeded: dict[str, Any], accounts: int) -> dict[str, dict[str, Any]]:
    """Searches of the first account, accent-free: a visitor's name, a rare order code quoted
    in one message, words most conversations hold, the last month's open ones."""
    from bench.seed import order_code, visitor_name

    if not seeded["conversations"]:
        return {}
    n = (seeded["conversations"] // accounts // 2) * accounts  # a conversation of account 0
    month_ago = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    queries: dict[str, dict[str, Any]] = {
        "q=visitor name": {"q": fold(visitor_name(n))},
        "open since 30 days": {"status": "open", "created_after": month_ago},
    }
    if seeded["messages"]:
        queries["q=order code"] = {"q": order_code(n).lower()}
        queries["q=common words"] = {"q": "don hang"}
    return queries


def fold(text: str) -> str:
    """``text`` lower-cased without accents (what a user types who does not type them)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


async def listing(suite: Suite, settings: Settings, args: Any) -> dict[str, Any]:
    dsn = asyncpg_dsn(settings.database_url)
    seeded = await seed(
        dsn,
        conversations=args.list_conversations,
        accounts=args.accounts,
        messages_per_conversation=args.list_messages,
    )
    account = seeded["accounts"][0]
    me = seeded["agents"][account][0]
    queries = QUERIES | _search_queries(seeded, args.accounts)
    from switchboard.core.auth import Principal, Role, issue_token

    token = issue_token(
        settings,
        Principal(kind="agent", id=uuid.UUID(me), account_id=uuid.UUID(account), role=Role.admin),
        token_type="access",
        ttl_seconds=3600,
    )
    system = await gen.run(
        "listing",
        {
            "base_url": suite.base_url,
            "token": token,
            "queries": queries,
            "requests": args.list_requests,
        },
    )
    baseline = await _list_baseline(
        dsn, uuid.UUID(account), uuid.UUID(me), queries, args.list_requests
    )
    return {
        "system": system,
        "baseline": baseline,
        "seeded": seeded["conversations"],
        "messages": seeded["messages"],
        "accounts": args.accounts,
        "seed_seconds": seeded["seconds"],
    }


async def _list_baseline(
    dsn: str,
    account: uuid.UUID,
    me: uuid.UUID,
    queries: dict[str, dict[str, Any]],
    requests: int,
) -> dict[str, Any]:
    from switchboard.core.pagination import cursor_of

    connection = await asyncpg.connect(dsn)
    out: dict[str, Any] = {}
    try:
        for name, query in queries.items():
            cursor = None
            if query.get("second_page"):
                sql, params = _list_sql(account, me, query, None)
                rows = await connection.fetch(sql, *params)
                last = rows[49]
                cursor = cursor_of([last["last_activity_at"], last["id"]])
            sql, params = _list_sql(account, me, query, cursor)
            out[name] = await timed_sql(connection, sql, params, requests)
    finally:
        await connection.close()
    return out
