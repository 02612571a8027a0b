"""Prometheus metrics of one service: request latency by route, and the state of its bus
consumer, outbox and job queue, read when ``GET /metrics`` is scraped.

Each app has a ``CollectorRegistry`` of its own, so several apps live in one process (tests).
Latency is observed by ``RequestMetrics``, a pure ASGI middleware (a few microseconds a
request). The rest is read at scrape time from Redis and PostgreSQL, each dependency on its
own and within a deadline: while one is down the scrape still answers, with
``switchboard_dependency_up{dependency=...} 0`` and whatever the other could tell.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

import structlog
from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from redis.exceptions import ResponseError
from sqlalchemy import func, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from switchboard.core.asgi import HttpMiddleware
from switchboard.core.runtime import DatabaseRuntime, Runtime, job_queue_name

__all__ = [
    "ROUTE_TEMPLATE",
    "UNMATCHED",
    "Metrics",
    "RequestMetrics",
    "metrics_router",
    "route_template",
]

log = structlog.get_logger(__name__)

# Scope key a handler may set to the template it served: the gateway's proxy is one route,
# ``/{path}``, that serves the upstreams' templates.
ROUTE_TEMPLATE = "switchboard.route_template"
UNMATCHED = "<unmatched>"  # no route: raw paths would make a label per scanner probe
READ_DEADLINE_SECONDS = 2.0
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The registry of one app: the latency histogram, the collectors a service adds (the
    gateway's sockets), and the gauges sampled at each scrape."""

    def __init__(
        self,
        *,
        consumes: Sequence[str] = (),
        jobs: bool = False,
        collectors: Iterable[Collector] = (),
    ):
        self.registry = CollectorRegistry()
        self.request_duration = Histogram(
            "switchboard_http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status.",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.consumes = tuple(consumes)
        self.jobs = jobs  # the service has a job queue to report
        self._sampled = _Sampled()
        self.registry.register(self._sampled)
        for collector in collectors:
            self.registry.register(collector)

    async def exposition(self, runtime: Runtime) -> bytes:
        """Sample the dependencies, then render every metric in the text format."""
        self._sampled.families = await _sample(runtime, self.consumes, jobs=self.jobs)
        return generate_latest(self.registry)


class _Sampled(Collector):
    """The gauges of the latest scrape (built whole, then swapped in)."""

    def __init__(self) -> None:
        self.families: list[Metric] = []

    def collect(self) -> Iterable[Metric]:
        return list(self.families)


async def _sample(runtime: Runtime, consumes: Sequence[str], *, jobs: bool) -> list[Metric]:
    """Every scrape-time gauge of ``runtime``'s service; a dependency that fails is reported
    down, the others still count."""
    up = GaugeMetricFamily(
        "switchboard_dependency_up",
        "1 when this scrape could read the dependency, else 0.",
        labels=["dependency"],
    )
    families: list[Metric] = [up]
    readers: dict[str, Callable[[], Awaitable[list[Metric]]]] = {
        "redis": lambda: _redis_families(runtime, consumes, jobs=jobs)
    }
    if isinstance(runtime, DatabaseRuntime):
        readers["database"] = lambda: _outbox_families(runtime)
    for dependency, read in readers.items():
        try:
            families.extend(await asyncio.wait_for(read(), READ_DEADLINE_SECONDS))
        except Exception as exc:
            log.warning("metrics_read_failed", dependency=dependency, error=repr(exc))
            up.add_metric([dependency], 0)
        else:
            up.add_metric([dependency], 1)
    return families


async def _redis_families(runtime: Runtime, consumes: Sequence[str], *, jobs: bool) -> list[Metric]:
    families = await _consumer_families(runtime, consumes)
    dead = await runtime.redis.xlen(runtime.bus.dead_letter_stream)
    families.append(
        GaugeMetricFamily(
            "switchboard_dead_letters",
            "Entries in the dead-letter stream (shared by every service of the suite).",
            value=dead,
        )
    )
    if jobs:
        families.extend(await _job_families(runtime))
    return families


async def _consumer_families(runtime: Runtime, consumes: Sequence[str]) -> list[Metric]:
    """Lag (entries not yet read by the group) and pending entries (read, not yet
    acknowledged) of this service's consumer group on each stream it consumes."""
    labels = ["stream", "group"]
    lag = GaugeMetricFamily(
        "switchboard_consumer_lag", "Entries of the stream the group has not read.", labels=labels
    )
    pending = GaugeMetricFamily(
        "switchboard_consumer_pending",
        "Entries the group read and has not acknowledged yet.",
        labels=labels,
    )
    group = runtime.service
    for source in consumes:
        info = await _group_info(runtime, runtime.bus.stream(source), group)
        if info is None:
            continue
        pending.add_metric([source, group], info["pending"])
        if info.get("lag") is not None:  # None: Redis cannot tell (entries deleted mid-way)
            lag.add_metric([source, group], info["lag"])
    return [lag, pending]


async def _group_info(runtime: Runtime, stream: str, group: str) -> dict[str, Any] | None:
    try:
        groups: list[dict[str, Any]] = await runtime.redis.xinfo_groups(stream)
    except ResponseError:  # no such stream yet: the consumer has not started
        return None
    for info in groups:
        if _text(info["name"]) == group:
            return info
    return None


async def _job_families(runtime: Runtime) -> list[Metric]:
    queue = job_queue_name(runtime.settings, runtime.service)
    now_ms = int(time.time() * 1000)  # arq scores a job with the time it is due, in ms
    depth = await runtime.redis.zcard(queue)
    due = await runtime.redis.zcount(queue, "-inf", now_ms)
    return [
        GaugeMetricFamily(
            "switchboard_job_queue_depth",
            "Jobs in the arq queue, due or scheduled for later.",
            value=depth,
        ),
        GaugeMetricFamily(
            "switchboard_job_queue_due",
            "Jobs in the arq queue whose time has come (a growing number: workers behind).",
            value=due,
        ),
    ]


async def _outbox_families(runtime: DatabaseRuntime) -> list[Metric]:
    table = runtime.outbox.table
    async with runtime.db.autocommit() as connection:
        count, oldest = (
            await connection.execute(select(func.count(), func.min(table.c.created_at)))
        ).one()
    age = 0.0 if oldest is None else max(0.0, time.time() - oldest.timestamp())
    return [
        GaugeMetricFamily(
            "switchboard_outbox_backlog",
            "Events written in the outbox and not yet published.",
            value=count,
        ),
        GaugeMetricFamily(
            "switchboard_outbox_oldest_age_seconds",
            "Age of the oldest unpublished event (0 when there is none).",
            value=age,
        ),
    ]


class RequestMetrics(HttpMiddleware):
    """Pure ASGI middleware: the duration of each HTTP request, by method, route template
    and status. Websockets and lifespan pass straight through."""

    def __init__(self, app: ASGIApp, histogram: Histogram) -> None:
        super().__init__(app)
        self.histogram = histogram

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500  # unless a response starts: an exception escaped and becomes a 500

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            self.histogram.labels(scope["method"], route_template(scope), str(status)).observe(
                time.perf_counter() - started
            )


def route_template(scope: Scope) -> str:
    """The template of the route that served ``scope`` (``/v1/conversations/{id}``)."""
    template = scope.get(ROUTE_TEMPLATE)
    if template is None:
        template = getattr(scope.get("route"), "path_format", None)  # set by the routing
    return template or UNMATCHED


def metrics_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        registry: Metrics = request.app.state.metrics
        body = await registry.exposition(request.app.state.runtime)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return router


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
