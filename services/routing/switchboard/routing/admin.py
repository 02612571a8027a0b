"""Routing's administrative commands, run by the ``switchboard`` CLI without HTTP (declared as
``admin`` in ``spec.py``): accounts, the demo admin and his membership. Each runs routing's
own use cases on a runtime of its own, closed afterwards."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from uuid import UUID

from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.settings import Settings
from switchboard.routing.directory.service.accounts import CreatedAccount
from switchboard.routing.directory.service.accounts import create_account as create
from switchboard.routing.directory.service.agents import set_password
from switchboard.routing.directory.service.memberships import add_inbox_member
from switchboard.routing.directory.store import agents
from switchboard.routing.store.models import Base, InboxMember

__all__ = ["DemoAdmin", "create_account", "ensure_admin", "ensure_member"]


@asynccontextmanager
async def _runtime(settings: Settings) -> AsyncIterator[DatabaseRuntime]:
    runtime = DatabaseRuntime("routing", settings, Base.metadata)
    try:
        yield runtime
    finally:
        await runtime.close()


async def create_account(
    settings: Settings, *, name: str, admin_name: str, email: str, password: str
) -> CreatedAccount:
    async with _runtime(settings) as runtime:
        return await create(
            runtime, name=name, admin_name=admin_name, admin_email=email, admin_password=password
        )


@dataclass(frozen=True)
class DemoAdmin:
    account_id: UUID
    admin_id: UUID
    password: str | None  # to show: set now (random unless asked for); None: kept as it was
    created: bool


async def ensure_admin(
    settings: Settings, *, account: str, name: str, email: str, password: str | None
) -> DemoAdmin:
    """The account and admin of ``email``, made if missing; an existing admin keeps his
    password unless one is asked for."""
    async with _runtime(settings) as runtime:
        async with runtime.db.session() as session:
            admin = await agents.by_email(session, email)
        if admin is not None:
            if password is not None:
                await set_password(
                    runtime, account_id=admin.account_id, agent_id=admin.id, password=password
                )
            return DemoAdmin(admin.account_id, admin.id, password, created=False)
        password = password or secrets.token_urlsafe(12)
        made = await create(
            runtime, name=account, admin_name=name, admin_email=email, admin_password=password
        )
    return DemoAdmin(made.account_id, made.admin_id, password, created=True)


async def ensure_member(
    settings: Settings, *, account_id: UUID, inbox_id: UUID, inbox_name: str, agent_id: UUID
) -> None:
    """The agent is a member of the inbox (made a member if he is not)."""
    async with _runtime(settings) as runtime:
        async with runtime.db.session() as session:
            member = await session.get(InboxMember, (inbox_id, agent_id))
        if member is None:
            await add_inbox_member(
                runtime,
                account_id=account_id,
                inbox_id=inbox_id,
                agent_id=agent_id,
                inbox_name=inbox_name,
            )
