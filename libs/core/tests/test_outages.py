"""While PostgreSQL or Redis is out of reach, a request answers 503 with Retry-After and a
code naming the dependency; a bug stays a 500. Real servers and real refused connections."""

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import text

from switchboard.core.db import Database
from switchboard.core.errors import install_error_handlers
from switchboard.core.logging import configure_logging
from switchboard.core.settings import Settings
from switchboard.core.testing import free_port


def _app(settings: Settings) -> FastAPI:
    port = free_port()
    live = Database(settings.database_url)
    gone = Database(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/nowhere")
    configure_logging("outages-test")  # as a service does (plain tracebacks, not rich's)
    app = FastAPI()
    install_error_handlers(app, retry_after_seconds=3)

    @app.get("/database-gone")
    async def database_gone() -> None:
        async with gone.session() as session:
            await session.execute(text("SELECT 1"))

    @app.get("/connection-cut")
    async def connection_cut() -> None:
        # The server ends our connection mid-session, as a restart or failover would.
        async with live.session() as session:
            await session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))

    @app.get("/redis-gone")
    async def redis_gone() -> None:
        client = Redis(port=port, socket_connect_timeout=1)
        try:
            await client.ping()
        finally:
            await client.aclose()

    @app.get("/bug")
    async def bug() -> None:
        async with live.session() as session:
            await session.execute(text("SELECT 1 / 0"))

    app.state.databases = (live, gone)
    return app


@pytest_asyncio.fixture(loop_scope="session")
async def client(sb_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = _app(sb_settings)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
    for database in app.state.databases:
        await database.dispose()


async def test_an_unreachable_database_is_503_database_unavailable(
    client: httpx.AsyncClient,
) -> None:
    for path in ("/database-gone", "/connection-cut"):
        response = await client.get(path)
        assert response.status_code == 503, (path, response.text)
        assert response.headers["retry-after"] == "3"
        assert response.json()["error"]["code"] == "database_unavailable"


async def test_an_unreachable_redis_is_503_redis_unavailable(client: httpx.AsyncClient) -> None:
    response = await client.get("/redis-gone")
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "3"
    assert response.json()["error"]["code"] == "redis_unavailable"


async def test_a_failing_query_is_still_a_500(client: httpx.AsyncClient) -> None:
    response = await client.get("/bug")
    assert response.status_code == 500, response.text
    assert "retry-after" not in response.headers
    assert response.json()["error"]["code"] == "internal_error"
