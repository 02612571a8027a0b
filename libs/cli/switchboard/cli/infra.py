"""Finding PostgreSQL and Redis: the environment's URLs, else the local default ports, else
private servers under the data directory (see ``switchboard.cli.embedded``); and the
installation's own token-signing secret (``SB_JWT_SECRET``), generated once under it."""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
from pathlib import Path
from urllib.parse import urlsplit

from switchboard.cli.database import ensure_database
from switchboard.cli.embedded import PrivateServers, data_dir, note, port_is_open
from switchboard.core.secrets import generate_secret

__all__ = ["command", "installation_secret", "locate"]

DATABASE_NAME = "switchboard"
LOCAL_DATABASE_URL = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{DATABASE_NAME}"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"


def _host_port(url: str, default_port: int) -> tuple[str, int]:
    parsed = urlsplit(url)
    return parsed.hostname or "127.0.0.1", parsed.port or default_port


def _given(name: str, default_port: int) -> str | None:
    url = os.environ.get(name)
    if url:
        host, port = _host_port(url, default_port)
        if not port_is_open(port, host, timeout=2.0):
            raise SystemExit(f"{name} points at {host}:{port}, which does not answer")
    return url or None


def locate() -> dict[str, str]:
    """The SB_DATABASE_URL and SB_REDIS_URL to use, starting private servers when needed."""
    embedded = os.environ.get("SB_EMBEDDED", "") not in ("", "0", "false")
    servers = PrivateServers(data_dir())
    database_url = None if embedded else _given("SB_DATABASE_URL", 5432)
    if database_url is None and not embedded and port_is_open(5432):
        database_url = LOCAL_DATABASE_URL
    if database_url is None:
        port = servers.ensure_postgres()
        database_url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{DATABASE_NAME}"
        if asyncio.run(ensure_database(database_url)):
            note(f"created the database {DATABASE_NAME}")
    redis_url = None if embedded else _given("SB_REDIS_URL", 6379)
    if redis_url is None and not embedded and port_is_open(6379):
        redis_url = LOCAL_REDIS_URL
    if redis_url is None:
        redis_url = f"redis://127.0.0.1:{servers.ensure_redis()}/0"
    note(f"PostgreSQL: {database_url}")
    note(f"Redis: {redis_url}")
    return {"SB_DATABASE_URL": database_url, "SB_REDIS_URL": redis_url}


def installation_secret(root: Path) -> str:
    """The secret of this data directory, generated (owner-only) on first use."""
    path = root / "jwt-secret"
    try:
        secret = path.read_text().strip()
    except FileNotFoundError:
        secret = ""
    if not secret:
        root.mkdir(parents=True, exist_ok=True)
        secret = generate_secret()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secret + "\n")
        note(f"generated this installation's token secret in {path}")
    return secret


def stop() -> int:
    servers = PrivateServers(data_dir())
    stopped = [servers.stop_postgres(), servers.stop_redis()]
    if not any(stopped):
        note(f"no private server runs for {servers.root}")
    return 0


def command(args: argparse.Namespace) -> int:
    if args.stop:
        return stop()
    found = locate()
    for name, value in found.items():
        print(f"export {name}={shlex.quote(value)}" if args.shell else f"{name}={value}")
    if not os.environ.get("SB_JWT_SECRET"):
        secret_file = data_dir() / "jwt-secret"
        secret = installation_secret(data_dir())
        print(
            f"export SB_JWT_SECRET={shlex.quote(secret)}"
            if args.shell
            else f"SB_JWT_SECRET=<the secret in {secret_file}>"
        )
    return 0
