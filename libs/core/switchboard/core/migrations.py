"""Alembic per service, with the version table inside the service's own schema."""

from __future__ import annotations

import asyncio
from importlib import resources
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

__all__ = [
    "alembic_config",
    "current_revisions",
    "head_revisions",
    "run_env",
    "upgrade_to_head",
]


def alembic_config(migrations_package: str, database_url: str) -> Config:
    """An Alembic config for the migrations shipped in ``migrations_package``."""
    location = Path(str(resources.files(migrations_package)))
    config = Config()
    config.set_main_option("script_location", str(location))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def head_revisions(migrations_package: str) -> set[str]:
    script = ScriptDirectory.from_config(alembic_config(migrations_package, "postgresql://"))
    return set(script.get_heads())


async def current_revisions(connection: AsyncConnection, schema: str) -> set[str]:
    def read(sync: Connection) -> set[str]:
        ctx = MigrationContext.configure(sync, opts={"version_table_schema": schema})
        return set(ctx.get_current_heads())

    return await connection.run_sync(read)


def upgrade_to_head(migrations_package: str, database_url: str) -> None:
    command.upgrade(alembic_config(migrations_package, database_url), "head")


def run_env(metadata: MetaData) -> None:
    """The body of every service's ``env.py``: migrate ``metadata.schema`` online."""
    schema = metadata.schema
    assert schema, "a service's metadata names its schema"
    url = context.config.get_main_option("sqlalchemy.url")
    assert url

    def include_name(name: str | None, type_: str, _: object) -> bool:
        return type_ != "schema" or name == schema

    def migrate(sync: Connection) -> None:
        sync.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        context.configure(
            connection=sync,
            target_metadata=metadata,
            version_table_schema=schema,
            include_schemas=True,
            include_name=include_name,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.run_sync(migrate)
        await engine.dispose()

    asyncio.run(main())
