"""Finding PostgreSQL and Redis: the environment's URLs, else the local default ports."""

from __future__ import annotations

import argparse
import os
import shlex
import socket
import sys

from sqlalchemy.engine import make_url

LOCAL_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/switchboard"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"


def reachable(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def locate() -> dict[str, str]:
    """The SB_DATABASE_URL and SB_REDIS_URL to use."""
    database_url = os.environ.get("SB_DATABASE_URL") or LOCAL_DATABASE_URL
    redis_url = os.environ.get("SB_REDIS_URL") or LOCAL_REDIS_URL
    db = make_url(database_url)
    if not reachable(db.host or "127.0.0.1", db.port or 5432):
        raise SystemExit(f"PostgreSQL is not reachable at {db.host}:{db.port}")
    redis = make_url(redis_url.replace("redis://", "redis+x://", 1))
    if not reachable(redis.host or "127.0.0.1", redis.port or 6379):
        raise SystemExit(f"Redis is not reachable at {redis.host}:{redis.port}")
    return {"SB_DATABASE_URL": database_url, "SB_REDIS_URL": redis_url}


def command(args: argparse.Namespace) -> int:
    found = locate()
    for name, value in found.items():
        if args.shell:
            print(f"export {name}={shlex.quote(value)}")
        else:
            print(f"{name}={value}", file=sys.stdout)
    return 0
