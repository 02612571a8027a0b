"""The app factory every service shares: lifespan, health, metrics, errors, consumers, sweeper."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from prometheus_client.registry import Collector
from sqlalchemy import MetaData, text

from switchboard.core.bus import BatchHandler, Consumer, Handler
from switchboard.core.errors import install_error_handlers
from switchboard.core.logging import configure_logging
from switchboard.core.metrics import Metrics, RequestMetrics, metrics_router
from switchboard.core.migrations import current_revisions, head_revisions
from switchboard.core.openapi import with_error_responses
from switchboard.core.runtime import Runtime
from switchboard.core.settings import Settings

__all__ = ["ServiceParts", "create_service_app"]

Work = Coroutine[Any, Any, None]
Task = Callable[[Runtime], Work]


@dataclass
class ServiceParts:
    """What makes one service: its routes, tables, consumed streams and background tasks."""

    name: str
    title: str
    description: str
    routers: Sequence[APIRouter] = ()
    metadata: MetaData | None = None
    migrations: str | None = None
    consumes: Sequence[str] = ()
    handler: Callable[[Runtime], Handler] | None = None
    # Optional, next to ``handler``: takes the entries of one read together (see Consumer).
    batch_handler: Callable[[Runtime], BatchHandler] | None = None
    # With a batch handler: wait this long after a read that was not full (bigger batches).
    batch_linger_ms: int = 0
    tasks: Sequence[Task] = ()
    uses_jobs: bool = False
    on_startup: Task | None = None
    # Runs after the background tasks stopped, before the runtime closes.
    on_shutdown: Task | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Metrics of the service's own, next to the shared ones at /metrics (read at each scrape).
    collectors: Sequence[Collector] = ()
    # False: no FastAPI /openapi.json, /docs, /redoc (the gateway serves the merged ones).
    docs: bool = True


def _operation_id(route: APIRoute) -> str:
    return route.name


def _contract(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """``app.openapi`` with every error status of every operation (see ``core.openapi``)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = with_error_responses(FastAPI.openapi(app))
        return app.openapi_schema

    return openapi


def consumer_name(service: str) -> str:
    return f"{service}-{socket.gethostname()}-{os.getpid()}"


def _background_tasks(parts: ServiceParts, runtime: Runtime) -> list[Work]:
    settings = runtime.settings
    work: list[Work] = []
    if parts.consumes and parts.handler is not None:
        consumer = Consumer(
            runtime.bus,
            group=parts.name,
            name=consumer_name(parts.name),
            sources=parts.consumes,
            handler=parts.handler(runtime),
            block_ms=settings.consumer_block_ms,
            reclaim_idle_ms=settings.consumer_reclaim_idle_ms,
            reclaim_interval_seconds=settings.consumer_reclaim_interval_seconds,
            max_deliveries=settings.consumer_max_deliveries,
            batch_handler=parts.batch_handler(runtime) if parts.batch_handler else None,
            linger_ms=parts.batch_linger_ms if parts.batch_handler else 0,
        )
        work.append(consumer.run())
    if runtime.outbox is not None:
        work.append(
            runtime.outbox.run_sweeper(
                runtime.database,
                interval=settings.outbox_sweep_interval_seconds,
                min_age_seconds=settings.outbox_sweep_min_age_seconds,
            )
        )
    work.extend(task(runtime) for task in parts.tasks)
    return work


def create_service_app(parts: ServiceParts, settings: Settings) -> FastAPI:
    settings.signing_secret()  # every service verifies tokens: no secret, no start
    configure_logging(parts.name, level=settings.log_level, json=settings.log_json)
    heads = head_revisions(parts.migrations) if parts.migrations else set()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime(parts.name, settings, parts.metadata)
        app.state.runtime = runtime
        if parts.uses_jobs:
            await runtime.start_jobs()
        if parts.on_startup is not None:
            await parts.on_startup(runtime)
        tasks = [asyncio.create_task(work) for work in _background_tasks(parts, runtime)]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(BaseException):
                    await task
            if parts.on_shutdown is not None:
                await parts.on_shutdown(runtime)
            await runtime.close()

    app = FastAPI(
        title=parts.title,
        description=parts.description,
        version="0.1.0",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        openapi_url="/openapi.json" if parts.docs else None,
        docs_url="/docs" if parts.docs else None,
        redoc_url="/redoc" if parts.docs else None,
    )
    app.openapi = _contract(app)  # type: ignore[method-assign]
    app.state.settings = settings
    app.state.parts = parts
    app.state.metrics = metrics = Metrics(consumes=parts.consumes, collectors=parts.collectors)
    app.add_middleware(RequestMetrics, histogram=metrics.request_duration)
    install_error_handlers(app)
    app.include_router(_health_router(parts, heads))
    app.include_router(metrics_router())
    for router in parts.routers:
        app.include_router(router)
    return app


def _health_router(parts: ServiceParts, heads: set[str]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": parts.name}

    @router.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        runtime: Runtime = request.app.state.runtime
        checks: dict[str, str] = {}
        try:
            await runtime.redis.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"unreachable: {exc!r}"
        if runtime.db is not None:
            try:
                async with runtime.db.engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
                    current = await current_revisions(connection, parts.metadata.schema)  # type: ignore[union-attr]
                checks["database"] = "ok"
                checks["migrations"] = "ok" if current == heads else f"at {sorted(current)}"
            except Exception as exc:
                checks["database"] = f"unreachable: {exc!r}"
        ready = all(value == "ok" for value in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not_ready", "checks": checks},
            status_code=200 if ready else 503,
        )

    return router
