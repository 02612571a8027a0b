"""The app factory every service shares: lifespan, health, metrics, errors, consumers, sweeper.

A service starts and keeps running while PostgreSQL or Redis is down: its background loops
wait and go on, its requests answer 503 (see ``switchboard.core.errors``) and ``/readyz`` says
which dependency is missing, each check bounded by ``SB_READINESS_TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import structlog
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from prometheus_client.registry import Collector
from starlette.requests import HTTPConnection

from switchboard.core.bodies import BodyLimit
from switchboard.core.bus import BatchHandler, Consumer, Handler
from switchboard.core.errors import install_error_handlers
from switchboard.core.logging import configure_logging
from switchboard.core.metrics import Metrics, RequestMetrics, metrics_router
from switchboard.core.migrations import current_revisions, head_revisions
from switchboard.core.openapi import with_error_responses
from switchboard.core.runtime import DatabaseRuntime, Loop, Runtime
from switchboard.core.settings import Settings

__all__ = [
    "ServiceParts",
    "ServiceState",
    "create_service_app",
    "service_state",
    "state_of",
]

log = structlog.get_logger(__name__)

R = TypeVar("R", bound=Runtime)
S = TypeVar("S", bound="ServiceState")


class ServiceState:
    """A service's own objects (an HTTP client, a writer), built in its lifespan once its
    runtime is up and closed before it: never half-built, so never optional. Requests reach
    them through ``service_state``."""

    def loops(self) -> list[Loop]:
        """Background loops of these objects, run (and watched by /readyz) like the tasks."""
        return []


def state_of(connection: HTTPConnection, kind: type[S]) -> S:
    """The service's state, as the ``kind`` its ``ServiceParts.state`` builds."""
    found = connection.app.state.service
    if not isinstance(found, kind):
        raise TypeError(f"the service's state is a {type(found).__name__}, not {kind}")
    return found


def service_state(kind: type[S]) -> Any:
    """The dependency handing a request (or a websocket) the service's state:
    ``Annotated[ChatState, service_state(ChatState)]``."""

    async def state(connection: HTTPConnection) -> S:  # async: no worker thread per request
        return state_of(connection, kind)

    return Depends(state)


@dataclass
class ServiceParts(Generic[R]):
    """What makes one service: its runtime, routes, consumed streams and background tasks.

    ``runtime``: ``Runtime`` for a service without tables (the gateway), else
    ``with_database(metadata)``; every callable below gets that runtime, typed.
    """

    name: str
    title: str
    description: str
    runtime: Callable[[str, Settings], R]
    routers: Sequence[APIRouter] = ()
    migrations: str | None = None
    consumes: Sequence[str] = ()
    handler: Callable[[R], Handler] | None = None
    # Optional, next to ``handler``: takes the entries of one read together (see Consumer).
    batch_handler: Callable[[R], BatchHandler] | None = None
    # With a batch handler: wait this long after a read that was not full (bigger batches).
    batch_linger_ms: int = 0
    tasks: Sequence[Callable[[R], Loop]] = ()
    # The service has an arq worker: /metrics reports its job queue.
    uses_jobs: bool = False
    # Builds the service's own objects once the runtime is up (``app.state.service``);
    # leaving it closes them, after the background tasks stopped, before the runtime closes.
    state: Callable[[R], AbstractAsyncContextManager[ServiceState]] | None = None
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


def _background_tasks(parts: ServiceParts[R], runtime: R) -> list[Loop]:
    settings = runtime.settings
    work: list[Loop] = []
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
    work.extend(runtime.loops())
    work.extend(task(runtime) for task in parts.tasks)
    return work


async def _refuse_a_database_without_fsync(runtime: DatabaseRuntime) -> None:
    """In production, a server with ``fsync = off`` can lose acknowledged messages: no start.
    An unreachable server is not a reason to refuse (every new connection checks again)."""
    try:
        fsync_off = await asyncio.wait_for(
            runtime.db.check_durability(), runtime.settings.readiness_timeout_seconds
        )
    except Exception as exc:
        log.warning("database_unreachable_at_start", error=repr(exc))
        return
    if fsync_off:
        raise RuntimeError(
            "the database runs with fsync = off, which can lose acknowledged messages:"
            " refusing to start in production (turn fsync on)"
        )


def create_service_app(parts: ServiceParts[R], settings: Settings) -> FastAPI:
    settings.signing_secret()  # every service verifies tokens: no secret, no start
    configure_logging(parts.name, level=settings.log_level, json=settings.log_json)
    heads = head_revisions(parts.migrations) if parts.migrations else set()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = parts.runtime(parts.name, settings)
        app.state.runtime = runtime
        async with AsyncExitStack() as stack:
            stack.push_async_callback(runtime.close)
            if settings.is_production and isinstance(runtime, DatabaseRuntime):
                await _refuse_a_database_without_fsync(runtime)
            loops = _background_tasks(parts, runtime)
            if parts.state is not None:
                state = await stack.enter_async_context(parts.state(runtime))
                app.state.service = state
                loops.extend(state.loops())
            tasks = [
                asyncio.create_task(work, name=getattr(work, "__qualname__", None))
                for work in loops
            ]
            app.state.background = tasks
            try:
                yield
            finally:
                for task in tasks:
                    task.cancel()
                for task in tasks:
                    with contextlib.suppress(BaseException):
                        await task

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
    app.state.background = []
    app.state.metrics = metrics = Metrics(
        consumes=parts.consumes, jobs=parts.uses_jobs, collectors=parts.collectors
    )
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_request_bytes,
        max_upload_bytes=settings.attachment_max_bytes_ceiling,
    )
    app.add_middleware(RequestMetrics, histogram=metrics.request_duration)
    install_error_handlers(app, retry_after_seconds=settings.retry_after_seconds)
    app.include_router(_health_router(parts, heads))
    app.include_router(metrics_router())
    for router in parts.routers:
        app.include_router(router)
    return app


def _health_router(parts: ServiceParts[R], heads: set[str]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": parts.name}

    @router.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        """503 while a dependency is out of reach (each check bounded by a timeout), the
        schema is not migrated, a background loop stopped, or (production) fsync is off."""
        runtime: Runtime = request.app.state.runtime
        timeout = runtime.settings.readiness_timeout_seconds
        checks = {"redis": await _bounded(_redis_check(runtime), timeout)}
        warnings: list[str] = []
        if isinstance(runtime, DatabaseRuntime):
            check = _database_check(runtime, heads)
            checks["database"] = await _bounded(check, timeout)
            if runtime.db.fsync_off:
                problem = "fsync is off: a crash of the server can lose acknowledged messages"
                if runtime.settings.is_production:
                    checks["durability"] = problem
                else:
                    warnings.append(problem)
        stopped = [task.get_name() for task in request.app.state.background if task.done()]
        checks["background"] = f"stopped: {', '.join(stopped)}" if stopped else "ok"
        ready = all(value == "ok" for value in checks.values())
        body: dict[str, Any] = {"status": "ready" if ready else "not_ready", "checks": checks}
        if warnings:
            body["warnings"] = warnings
        return JSONResponse(body, status_code=200 if ready else 503)

    return router


async def _bounded(check: Coroutine[Any, Any, str], timeout: float) -> str:
    """The check's verdict, or why it has none: a probe must answer even when a dependency
    hangs."""
    try:
        return await asyncio.wait_for(check, timeout)
    except TimeoutError:
        return f"unreachable: no answer within {timeout:g} s"
    except Exception as exc:
        return f"unreachable: {exc!r}"


async def _redis_check(runtime: Runtime) -> str:
    await runtime.redis.ping()
    return "ok"


async def _database_check(runtime: DatabaseRuntime, heads: set[str]) -> str:
    async with runtime.db.engine.connect() as connection:
        current = await current_revisions(connection, runtime.schema)
    return "ok" if current == heads else f"migrations at {sorted(current)}"
