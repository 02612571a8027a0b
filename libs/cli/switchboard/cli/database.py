"""Creating the suite's database on its server when it is missing."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

__all__ = ["database_name", "ensure_database"]


def database_name(url: str) -> str:
    name = unquote(urlsplit(url).path.lstrip("/"))
    if not name:
        raise SystemExit(f"the database URL names no database: {url}")
    return name


def _server_dsn(url: str) -> str:
    """``url`` for asyncpg, pointing at the ``postgres`` maintenance database."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))


async def ensure_database(url: str) -> bool:
    """Create the database named in ``url`` unless it exists; True when it was created."""
    import asyncpg

    name = database_name(url)
    connection = await asyncpg.connect(_server_dsn(url))
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists:
            return False
        quoted = name.replace('"', '""')
        await connection.execute(f'CREATE DATABASE "{quoted}"')
        return True
    finally:
        await connection.close()
