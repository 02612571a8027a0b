"""`switchboard infra` starts private PostgreSQL and Redis servers from the pip-installed
binaries when asked to (SB_EMBEDDED=1), reuses them on the next call, and stops them; the
`make run` chain (migrate, demo) works on them. The tests run in file order on one pair of
servers."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from redis.asyncio import Redis

from switchboard.core.db import Database
from switchboard.core.secrets import secret_weakness
from switchboard.core.testing import free_port

pytestmark = pytest.mark.timeout(90)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _infra(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "switchboard.cli", "infra", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _exports(stdout: str) -> dict[str, str]:
    """What ``eval "$(switchboard infra --shell)"`` would set."""
    found: dict[str, str] = {}
    for line in stdout.splitlines():
        words = shlex.split(line)
        assert words[0] == "export", line
        name, _, value = words[1].partition("=")
        found[name] = value
    return found


@pytest.fixture(scope="module")
def private_env() -> Iterator[dict[str, str]]:
    """The environment of a developer with no servers configured, a data directory of its own
    and ports no `make run` uses; the private servers are stopped afterwards, whatever happens."""
    data = Path(tempfile.mkdtemp(prefix="sb-embedded-"))
    given = ("SB_DATABASE_URL", "SB_REDIS_URL", "SB_JWT_SECRET")
    env = {k: v for k, v in os.environ.items() if k not in given}
    env.update(
        SB_EMBEDDED="1",
        SB_DATA_DIR=str(data),
        SB_EMBEDDED_PG_PORT=str(free_port()),
        SB_EMBEDDED_REDIS_PORT=str(free_port()),
    )
    try:
        yield env
    finally:
        _infra(env, "--stop")
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def private_urls(private_env: dict[str, str]) -> dict[str, str]:
    started = _infra(private_env, "--shell")
    assert started.returncode == 0, started.stderr
    return _exports(started.stdout)


def test_infra_starts_private_servers_on_the_asked_ports(
    private_env: dict[str, str], private_urls: dict[str, str]
) -> None:
    pg_port = private_env["SB_EMBEDDED_PG_PORT"]
    redis_port = private_env["SB_EMBEDDED_REDIS_PORT"]
    secret = private_urls.pop("SB_JWT_SECRET")
    assert private_urls == {
        "SB_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{pg_port}/switchboard",
        "SB_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
    }
    private_urls["SB_JWT_SECRET"] = secret


def test_infra_generates_a_secret_per_installation_kept_private(
    private_env: dict[str, str], private_urls: dict[str, str]
) -> None:
    secret = private_urls["SB_JWT_SECRET"]
    assert secret_weakness(secret) is None
    kept = Path(private_env["SB_DATA_DIR"]) / "jwt-secret"
    assert kept.read_text().strip() == secret
    assert kept.stat().st_mode & 0o077 == 0  # readable by its owner only
    other = private_env | {"SB_DATA_DIR": tempfile.mkdtemp(prefix="sb-other-")}
    other.pop("SB_EMBEDDED")
    elsewhere = _infra(other | {"SB_DATABASE_URL": private_urls["SB_DATABASE_URL"]}, "--shell")
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert _exports(elsewhere.stdout)["SB_JWT_SECRET"] != secret  # another installation
    shutil.rmtree(other["SB_DATA_DIR"], ignore_errors=True)


def test_a_secret_given_by_the_operator_is_kept(private_env: dict[str, str]) -> None:
    given = _infra(private_env | {"SB_JWT_SECRET": "from-the-operator"}, "--shell")
    assert given.returncode == 0, given.stderr
    assert "SB_JWT_SECRET" not in _exports(given.stdout)


async def test_the_private_servers_store_and_answer(private_urls: dict[str, str]) -> None:
    connection = await asyncpg.connect(private_urls["SB_DATABASE_URL"].replace("+asyncpg", ""))
    try:
        await connection.execute("CREATE TABLE greeting (id serial PRIMARY KEY, text text)")
        await connection.execute("INSERT INTO greeting (text) VALUES ('xin chào')")
        assert await connection.fetchval("SELECT text FROM greeting") == "xin chào"
    finally:
        await connection.close()

    redis = Redis.from_url(private_urls["SB_REDIS_URL"])
    try:
        await redis.set("greeting", "hello")
        assert await redis.get("greeting") == b"hello"
    finally:
        await redis.aclose()


def test_a_second_call_reuses_the_running_servers(
    private_env: dict[str, str], private_urls: dict[str, str]
) -> None:
    again = _infra(private_env, "--shell")
    assert again.returncode == 0, again.stderr
    assert _exports(again.stdout) == private_urls
    assert "reusing the private PostgreSQL" in again.stderr
    assert "reusing the private Redis" in again.stderr


def test_migrate_creates_the_database_and_the_demo_is_made_once(
    private_env: dict[str, str], private_urls: dict[str, str]
) -> None:
    env = private_env | private_urls
    env["SB_DATABASE_URL"] = env["SB_DATABASE_URL"].replace("/switchboard", "/fresh")

    def switchboard(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "switchboard.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done

    assert "created the database fresh" in switchboard("migrate").stderr
    first = switchboard("demo")
    second = switchboard("demo")
    password = re.search(r"admin@demo\.switchboard\.local / (\S+)", first.stdout)
    assert password is not None, first.stdout
    assert len(password.group(1)) >= 12 and password.group(1) != "switchboard-demo"
    assert "ws://127.0.0.1:8000/v1/ws/visitor" in first.stdout
    assert "created the demo account" in first.stderr
    assert password.group(1) not in second.stdout  # shown once
    assert _ids(second.stdout) == _ids(first.stdout)  # the same account, inbox, widget token
    assert "created" not in second.stderr
    chosen = switchboard("demo", "--admin-password", "a-chosen-password")
    assert "admin@demo.switchboard.local / a-chosen-password" in chosen.stdout
    assert _ids(chosen.stdout) == _ids(first.stdout)


def _ids(demo_output: str) -> list[str]:
    return re.findall(r"[0-9a-f]{8}-[0-9a-f-]{27}|widget token\s+(\S+)", demo_output)


async def _show(url: str, *names: str) -> dict[str, str]:
    connection = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        return {name: await connection.fetchval(f"SHOW {name}") for name in names}
    finally:
        await connection.close()


DURABILITY = ("fsync", "synchronous_commit", "full_page_writes")


async def test_the_private_postgresql_commits_durably(private_urls: dict[str, str]) -> None:
    shown = await _show(private_urls["SB_DATABASE_URL"], *DURABILITY)
    assert shown == dict.fromkeys(DURABILITY, "on")


async def test_a_data_directory_left_careless_is_durable_again_after_a_restart(
    private_env: dict[str, str], private_urls: dict[str, str]
) -> None:
    """An older version wrote ``synchronous_commit = off`` into postgresql.conf, and someone
    turned fsync off with ALTER SYSTEM: the services notice, and the next start mends both."""
    url = private_urls["SB_DATABASE_URL"]
    conf = Path(private_env["SB_DATA_DIR"]) / "postgres" / "postgresql.conf"
    conf.write_text(conf.read_text() + "synchronous_commit = off\n")
    connection = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        await connection.execute("ALTER SYSTEM SET fsync = off")
        await connection.execute("SELECT pg_reload_conf()")
    finally:
        await connection.close()
    database = Database(url)
    try:
        assert await database.check_durability() is True  # fsync off: readyz and logs say so
    finally:
        await database.dispose()

    stopped = await asyncio.to_thread(_infra, private_env, "--stop")
    assert stopped.returncode == 0, stopped.stderr
    started = await asyncio.to_thread(_infra, private_env, "--shell")
    assert started.returncode == 0, started.stderr
    assert "back to the durable default" in started.stderr
    assert await _show(url, *DURABILITY) == dict.fromkeys(DURABILITY, "on")


def test_stop_stops_the_private_servers(private_env: dict[str, str]) -> None:
    stopped = _infra(private_env, "--stop")
    assert stopped.returncode == 0, stopped.stderr
    assert not _answers(int(private_env["SB_EMBEDDED_PG_PORT"]))
    assert not _answers(int(private_env["SB_EMBEDDED_REDIS_PORT"]))
