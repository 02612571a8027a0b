"""Creating an account with its first admin (used by the CLI, not over HTTP), and the
account's routing settings."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from uuid6 import uuid7

from switchboard.core.auth import Role
from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.service.drain import drain_every_queue
from switchboard.routing.directory.service.agents import add_agent, outbox_of
from switchboard.routing.directory.service.passwords import hash_password
from switchboard.routing.directory.store import accounts as account_store
from switchboard.routing.errors import AccountNotFound, found
from switchboard.routing.store.models import Account


@dataclass(frozen=True)
class CreatedAccount:
    account_id: UUID
    admin_id: UUID


async def create_account(
    runtime: DatabaseRuntime, *, name: str, admin_name: str, admin_email: str, admin_password: str
) -> CreatedAccount:
    """Create an account and its admin; ``agent.created`` goes out through the outbox.

    Raises ``EmailTaken`` when the admin's address is in use.
    """
    password_hash = await hash_password(admin_password)
    async with runtime.work() as work:
        session = work.session
        account = Account(id=uuid7(), name=name, created_at=utcnow())
        session.add(account)
        await session.flush()
        admin = await add_agent(
            session,
            outbox_of(runtime),
            account_id=account.id,
            name=admin_name,
            email=admin_email,
            password_hash=password_hash,
            role=Role.admin,
        )
    return CreatedAccount(account_id=account.id, admin_id=admin.id)


async def get_account(runtime: DatabaseRuntime, *, account_id: UUID) -> Account:
    async with runtime.db.session() as session:
        return found(await account_store.get(session, account_id), AccountNotFound)


async def update_account(
    runtime: DatabaseRuntime, *, account_id: UUID, changes: dict[str, int]
) -> Account:
    """Change the routing settings of the account (the keys present); a higher default
    capacity drains the account's queues at once."""
    async with runtime.work() as work:
        session = work.session
        account = found(await account_store.get(session, account_id, lock=True), AccountNotFound)
        for name, value in changes.items():
            setattr(account, name, value)
    if "default_capacity" in changes:
        await drain_every_queue(runtime, account_id=account_id)
    return account
