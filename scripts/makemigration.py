"""Autogenerate a migration for one service against a throw-away database.

uv run python scripts/makemigration.py chat "add labels"
"""

import asyncio
import sys
import uuid

from alembic import command

from switchboard.core.migrations import alembic_config, upgrade_to_head
from switchboard.core.service import service_specs
from switchboard.core.settings import Settings
from switchboard.core.testing.plugin import create_database, drop_database


async def main(service: str, message: str) -> None:
    spec = next(s for s in service_specs() if s.name == service)
    assert spec.migrations
    base = Settings().database_url
    name = f"sb_mig_{uuid.uuid4().hex[:8]}"
    url = await create_database(base, name)
    try:
        await asyncio.to_thread(upgrade_to_head, spec.migrations, url)
        config = alembic_config(spec.migrations, url)
        await asyncio.to_thread(command.revision, config, message=message, autogenerate=True)
    finally:
        await drop_database(base, name)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
