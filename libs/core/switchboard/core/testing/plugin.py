"""The pytest plugin of the suite: one throw-away database and Redis key prefix per test run.

The database is created on the PostgreSQL server of ``SB_DATABASE_URL`` (default: the local
one), migrated with every installed service's Alembic migrations, and dropped at the end. Redis
keys live under a prefix of their own and are deleted at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy.engine import make_url

from switchboard.core.bus import Bus
from switchboard.core.db import Database
from switchboard.core.migrations import upgrade_to_head
from switchboard.core.secrets import generate_secret
from switchboard.core.service import service_specs
from switchboard.core.settings import Settings

__all__ = [
    "TEST_LIMITS",
    "create_database",
    "drop_database",
    "migrate_all",
    "throwaway_settings",
]

# Tests call from one address, as a handful of visitors and agents, far faster than a person:
# every rate limit is generous but the lockout after failed logins (each test fails with emails
# of its own). Tests of a limit set it low where they need it.
TEST_LIMITS: dict[str, object] = {
    "rate_limit_login_per_email": "100000/minute",
    "rate_limit_login_per_ip": "100000/minute",
    "rate_limit_visitors_per_ip": "100000/minute",
    "rate_limit_visitors_per_widget": "100000/minute",
    "rate_limit_conversations_per_visitor": "100000/minute",
    "rate_limit_messages_per_visitor": "100000/minute",
    "rate_limit_requests_per_token": "100000/minute",
    "rate_limit_requests_per_ip": "100000/minute",
    "ws_requests_per_second": 10000.0,
    "ws_request_burst": 20000,
}


async def _as_admin(base_url: str, statement: str) -> None:
    """Run a statement on the server's ``postgres`` database (a database cannot create or drop
    itself)."""
    admin = make_url(base_url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def create_database(base_url: str, name: str) -> str:
    """A new database ``name`` on the server of ``base_url``: its URL."""
    await _as_admin(base_url, f'CREATE DATABASE "{name}"')
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


async def drop_database(base_url: str, name: str) -> None:
    await _as_admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def migrate_all(database_url: str) -> None:
    for spec in service_specs():
        if spec.migrations:
            await asyncio.to_thread(upgrade_to_head, spec.migrations, database_url)


async def delete_prefix(redis: Redis, prefix: str) -> None:
    async for key in redis.scan_iter(match=f"{{{prefix}*", count=1000):
        await redis.delete(key)


@contextlib.asynccontextmanager
async def throwaway_settings(purpose: str, **overrides: object) -> AsyncIterator[Settings]:
    """Settings on a migrated database, a Redis key prefix and a token secret of their own.

    The database (``sb_<purpose>_<run>``) is dropped and the prefix's keys deleted afterwards,
    so a run leaves nothing behind whatever it wrote (the tests, the benchmarks); the same
    goes for the local storage of attachments (a temporary directory).
    """
    base = Settings()
    run = uuid.uuid4().hex[:10]
    name = f"sb_{purpose}_{run}"
    url = await create_database(base.database_url, name)
    attachments = tempfile.mkdtemp(prefix=f"sb-{purpose}-{run}-attachments-")
    settings = base.model_copy(
        update={
            "database_url": url,
            "key_prefix": f"sb{purpose}-{run}",
            "jwt_secret": SecretStr(generate_secret()),
            "log_json": False,
            "attachment_storage": "local",
            "attachment_directory": attachments,
            **overrides,
        }
    )
    try:
        await migrate_all(url)
        yield settings
    finally:
        shutil.rmtree(attachments, ignore_errors=True)
        redis = Redis.from_url(settings.redis_url)
        await delete_prefix(redis, settings.key_prefix)
        await redis.aclose()
        await drop_database(base.database_url, name)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def sb_settings() -> AsyncIterator[Settings]:
    """Settings pointing at this run's own database, Redis key prefix and token secret."""
    async with throwaway_settings(
        "test",
        consumer_block_ms=200,
        consumer_reclaim_idle_ms=1000,
        consumer_reclaim_interval_seconds=0.5,
        outbox_sweep_interval_seconds=0.5,
        outbox_sweep_min_age_seconds=1.0,
        presence_grace_seconds=0.5,
        **TEST_LIMITS,
    ) as settings:
        yield settings


@pytest_asyncio.fixture(loop_scope="session")
async def redis(sb_settings: Settings) -> AsyncIterator[Redis]:
    client = Redis.from_url(sb_settings.redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def bus(redis: Redis, sb_settings: Settings) -> Bus:
    """A bus on a prefix of its own, so each test sees only its own streams."""
    return Bus(redis, prefix=f"{sb_settings.key_prefix}-{uuid.uuid4().hex[:8]}", maxlen=10_000)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def database(sb_settings: Settings) -> AsyncIterator[Database]:
    db = Database(sb_settings.database_url)
    yield db
    await db.dispose()
