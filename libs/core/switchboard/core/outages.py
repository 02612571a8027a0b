"""Telling an outage from a bug: the exceptions that mean PostgreSQL or Redis is out of reach.

While the database or Redis is down (restarting, failing over, unreachable), a request fails
with one of a handful of driver exceptions. Those are not bugs: the caller should hear 503 and
try again (``switchboard.core.errors`` renders them), and the logs should say "unavailable"
rather than print a traceback per request. Anything else stays a 500.

The exception and its causes (``__cause__`` / ``__context__``) are looked at in turn:
SQLAlchemy wraps the asyncpg error, which may wrap the socket's.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from typing import Literal

import asyncpg
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

__all__ = ["OUTAGE_TYPES", "Dependency", "unreachable"]

Dependency = Literal["database", "redis", "network"]

# asyncpg's own: the connection broke or does not exist, the server is starting or shutting
# down, or it has no connection slot left; its InterfaceError is mostly "connection is closed".
_DATABASE_DOWN: tuple[type[Exception], ...] = (
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,  # admin shutdown, crash, cannot connect now
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.InterfaceError,
    # SQLAlchemy's: a broken connection (the dialect reports it as an InterfaceError), a
    # failed connect, or no pooled connection free within the pool timeout.
    InterfaceError,
    OperationalError,
    PoolTimeout,
)
_REDIS_DOWN: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError)

# Every type an outage may arrive as (an error handler is registered for each).
OUTAGE_TYPES: tuple[type[Exception], ...] = (
    *_DATABASE_DOWN,
    *_REDIS_DOWN,
    DBAPIError,
    asyncpg.PostgresError,
    OSError,  # ConnectionRefusedError, TimeoutError, ...
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _raised_in(exc: BaseException, package: str) -> bool:
    """Whether one of the frames ``exc`` went through belongs to ``package``."""
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        module = frame.f_globals.get("__name__", "")
        if module == package or module.startswith(f"{package}."):
            return True
    return False


def _dependency_of(exc: BaseException) -> Dependency | None:
    if isinstance(exc, _REDIS_DOWN):
        return "redis"
    if isinstance(exc, _DATABASE_DOWN):
        return "database"
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return "database"
    if isinstance(exc, OSError):  # a bare socket error: whose socket was it?
        if _raised_in(exc, "asyncpg"):
            return "database"
        if _raised_in(exc, "redis"):
            return "redis"
        if isinstance(exc, ConnectionError | TimeoutError):
            return "network"
    return None


def unreachable(exc: BaseException) -> Dependency | None:
    """Which dependency ``exc`` says is out of reach, or None when it is not an outage."""
    for link in _chain(exc):
        dependency = _dependency_of(link)
        if dependency is not None:
            return dependency
    return None
