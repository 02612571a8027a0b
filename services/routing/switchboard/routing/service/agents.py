"""Use cases of the directory: create agents, read them."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from uuid6 import uuid7

from switchboard.core.auth import Role
from switchboard.core.errors import Conflict, NotFound
from switchboard.core.events import utcnow
from switchboard.core.outbox import Outbox
from switchboard.core.pagination import decode_cursor, encode_cursor
from switchboard.core.runtime import Runtime
from switchboard.routing.domain.directory import normalize_email
from switchboard.routing.service import events
from switchboard.routing.service.passwords import hash_password
from switchboard.routing.store import agents as agent_store
from switchboard.routing.store.models import Agent


@dataclass(frozen=True)
class AgentView:
    """An agent with the inboxes it belongs to."""

    agent: Agent
    inbox_ids: list[UUID]


def outbox_of(runtime: Runtime) -> Outbox:
    assert runtime.outbox is not None
    return runtime.outbox


async def add_agent(
    session: AsyncSession,
    outbox: Outbox,
    *,
    account_id: UUID,
    name: str,
    email: str,
    password_hash: str,
    role: Role,
) -> Agent:
    """Insert the agent and queue ``agent.created``, inside the caller's transaction."""
    email = normalize_email(email)
    if await agent_store.by_email(session, email) is not None:
        raise Conflict("an agent with this email exists already", code="email_taken")
    agent = Agent(
        id=uuid7(),
        account_id=account_id,
        name=name,
        email=email,
        password_hash=password_hash,
        role=role.value,
        status="offline",
        accept_auto_assign=True,
        connected=False,
        created_at=utcnow(),
    )
    session.add(agent)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # a concurrent request took the address first
        raise Conflict("an agent with this email exists already", code="email_taken") from exc
    await outbox.add(session, events.agent_created(agent))
    return agent


async def create_agent(
    runtime: Runtime, *, account_id: UUID, name: str, email: str, password: str, role: Role
) -> AgentView:
    password_hash = await hash_password(password)
    async with runtime.unit_of_work() as session:
        agent = await add_agent(
            session,
            outbox_of(runtime),
            account_id=account_id,
            name=name,
            email=email,
            password_hash=password_hash,
            role=role,
        )
    return AgentView(agent=agent, inbox_ids=[])


async def get_agent(session: AsyncSession, *, account_id: UUID, agent_id: UUID) -> AgentView:
    agent = await agent_store.get(session, account_id, agent_id)
    if agent is None:
        raise NotFound("no such agent", code="agent_not_found")
    inbox_ids = await agent_store.inbox_ids_of(session, [agent.id])
    return AgentView(agent=agent, inbox_ids=inbox_ids[agent.id])


async def list_agents(
    session: AsyncSession, *, account_id: UUID, cursor: str | None, limit: int
) -> tuple[list[AgentView], str | None]:
    after = None
    if cursor is not None:
        decoded = decode_cursor(cursor)
        after = (decoded.at, decoded.id)
    rows = list(await session.scalars(agent_store.page(account_id, after=after, limit=limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    inbox_ids = await agent_store.inbox_ids_of(session, [agent.id for agent in rows])
    next_cursor = encode_cursor(rows[-1].created_at, rows[-1].id) if more else None
    return [AgentView(agent=a, inbox_ids=inbox_ids[a.id]) for a in rows], next_cursor
