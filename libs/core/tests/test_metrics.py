"""/metrics of a service built by the app factory, against real PostgreSQL and Redis."""

import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest_asyncio
from fastapi import APIRouter, FastAPI
from sqlalchemy import MetaData

from switchboard.core.app import ServiceParts, create_service_app
from switchboard.core.db import Database
from switchboard.core.events import Envelope
from switchboard.core.metrics import UNMATCHED
from switchboard.core.outbox import add_core_tables
from switchboard.core.runtime import DatabaseRuntime, Runtime, with_database
from switchboard.core.settings import Settings
from switchboard.core.testing import core_schema, free_port, metric_value, serving

router = APIRouter()


@router.get("/v1/desks/{desk_id}")
async def read_desk(desk_id: str) -> dict[str, str]:
    return {"id": desk_id}


@dataclass
class Service:
    app: FastAPI
    client: httpx.AsyncClient

    @property
    def runtime(self) -> DatabaseRuntime:
        runtime: DatabaseRuntime = self.app.state.runtime
        return runtime

    async def scrape(self) -> str:
        response = await self.client.get("/metrics")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/plain")
        return response.text


def desk_parts(metadata: MetaData | None, *, uses_jobs: bool = True) -> ServiceParts[Runtime]:
    # No handler: the test plays the consumer group itself, entry by entry.
    return ServiceParts(
        name="desk",
        title="Desk",
        description="A service made for this test.",
        routers=[router],
        runtime=Runtime if metadata is None else with_database(metadata),
        consumes=["producer"],
        uses_jobs=uses_jobs,
    )


@contextlib.asynccontextmanager
async def running(parts: ServiceParts[Runtime], settings: Settings) -> AsyncIterator[Service]:
    app = create_service_app(parts, settings)
    async with serving(app) as client:
        yield Service(app, client)


@pytest_asyncio.fixture(loop_scope="session")
async def desk(sb_settings: Settings, database: Database) -> AsyncIterator[Service]:
    settings = sb_settings.model_copy(
        update={
            "key_prefix": f"{sb_settings.key_prefix}-metrics-{uuid.uuid4().hex[:8]}",
            "outbox_sweep_min_age_seconds": 3600.0,  # the rows stay for the test to count
        }
    )
    async with (
        core_schema(database, "metrics_test") as metadata,
        running(desk_parts(metadata), settings) as service,
    ):
        yield service


def dead_url(scheme: str) -> str:
    return f"{scheme}://127.0.0.1:{free_port()}"


async def test_a_request_is_timed_under_its_route_template(desk: Service) -> None:
    assert (await desk.client.get("/v1/desks/42")).status_code == 200
    assert (await desk.client.get("/v1/desks/43")).status_code == 200
    assert (await desk.client.get("/no/such/path/7")).status_code == 404

    exposition = await desk.scrape()
    count = "switchboard_http_request_duration_seconds_count"
    labels = {"method": "GET", "status": "200"}
    assert metric_value(exposition, count, route="/v1/desks/{desk_id}", **labels) == 2
    assert metric_value(exposition, count, method="GET", route=UNMATCHED, status="404") == 1
    assert "/v1/desks/42" not in exposition and "/no/such/path" not in exposition


async def test_the_outbox_backlog_counts_unpublished_events(desk: Service) -> None:
    runtime = desk.runtime
    # Written but never published (a crash between commit and publish): the backlog.
    async with runtime.db.session() as session, session.begin():
        for _ in range(3):
            await runtime.outbox.add(
                session, Envelope(type="desk.opened", account_id="a", source="desk", key="k")
            )

    exposition = await desk.scrape()
    assert metric_value(exposition, "switchboard_outbox_backlog") == 3
    age = metric_value(exposition, "switchboard_outbox_oldest_age_seconds")
    assert age is not None and 0 <= age < 60
    assert metric_value(exposition, "switchboard_dependency_up", dependency="database") == 1


async def test_consumer_lag_and_pending_entries_of_the_services_group(desk: Service) -> None:
    bus, redis = desk.runtime.bus, desk.runtime.redis
    stream = bus.stream("producer")
    await redis.xgroup_create(stream, "desk", id="0", mkstream=True)
    for n in range(5):
        await bus.publish("producer", Envelope(type="x", account_id="a", source="p", key=str(n)))
    read = await redis.xreadgroup("desk", "desk-1", {stream: ">"}, count=2)
    await redis.xack(stream, "desk", read[0][1][0][0])  # two read, one acknowledged

    exposition = await desk.scrape()
    group = {"stream": "producer", "group": "desk"}
    assert metric_value(exposition, "switchboard_consumer_lag", **group) == 3
    assert metric_value(exposition, "switchboard_consumer_pending", **group) == 1
    assert metric_value(exposition, "switchboard_dependency_up", dependency="redis") == 1


async def test_dead_letters_and_the_job_queue(desk: Service) -> None:
    runtime = desk.runtime
    await runtime.redis.xadd(runtime.bus.dead_letter_stream, {"meta": "{}", "e": b""})
    await runtime.jobs.enqueue_job("wake_up", "now")
    await runtime.jobs.enqueue_job("wake_up", "later", _defer_by=3600)

    exposition = await desk.scrape()
    assert metric_value(exposition, "switchboard_dead_letters") == 1
    assert metric_value(exposition, "switchboard_job_queue_depth") == 2
    assert metric_value(exposition, "switchboard_job_queue_due") == 1


async def test_a_scrape_answers_while_redis_and_the_database_are_down(
    sb_settings: Settings,
) -> None:
    metadata = MetaData(schema="nowhere")
    add_core_tables(metadata)
    settings = sb_settings.model_copy(
        update={
            "redis_url": dead_url("redis") + "/0",
            "database_url": dead_url("postgresql+asyncpg") + "/nowhere",
        }
    )
    async with running(desk_parts(metadata, uses_jobs=False), settings) as service:
        started = time.monotonic()
        await service.scrape()
        exposition = await service.scrape()
        assert time.monotonic() - started < 3.0

    assert metric_value(exposition, "switchboard_dependency_up", dependency="redis") == 0
    assert metric_value(exposition, "switchboard_dependency_up", dependency="database") == 0
    assert metric_value(exposition, "switchboard_outbox_backlog") is None
    labels = {"method": "GET", "route": "/metrics", "status": "200"}
    assert (
        metric_value(exposition, "switchboard_http_request_duration_seconds_count", **labels) == 1
    )


def test_metrics_are_not_part_of_the_api(sb_settings: Settings) -> None:
    app = create_service_app(desk_parts(None), sb_settings)
    assert "/metrics" not in app.openapi()["paths"]
    assert "/v1/desks/{desk_id}" in app.openapi()["paths"]
