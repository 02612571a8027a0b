"""Use cases of the directory: create agents, read them, change their role and capacity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from uuid6 import uuid7

from switchboard.contracts.values import NotificationPreferences
from switchboard.core.auth import Principal, Role
from switchboard.core.events import utcnow
from switchboard.core.outbox import Outbox
from switchboard.core.pagination import PageQuery, Rows
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.domain.availability import AgentStatus
from switchboard.routing.assignment.store import loads
from switchboard.routing.directory.domain.emails import normalize_email
from switchboard.routing.directory.service.passwords import hash_password
from switchboard.routing.directory.service.sessions import end_sessions, publish_session_versions
from switchboard.routing.directory.store import agents as agent_store
from switchboard.routing.directory.store import teams as team_store
from switchboard.routing.errors import AgentNotFound, EmailTaken, LastAdmin, found
from switchboard.routing.service import events
from switchboard.routing.store.models import Agent
from switchboard.routing.store.queries import saved


@dataclass(frozen=True)
class AgentView:
    """An agent with its inboxes, teams, current load and effective capacity."""

    agent: Agent
    inbox_ids: list[UUID]
    team_ids: list[UUID] | None = None
    load: int = 0
    capacity: int = 0


def outbox_of(runtime: DatabaseRuntime) -> Outbox:
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
        raise EmailTaken()
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
    if not await saved(session, agent):  # a concurrent request took the address first
        raise EmailTaken()
    await outbox.add(session, events.agent_created(agent))
    return agent


async def create_agent(
    runtime: DatabaseRuntime, *, account_id: UUID, name: str, email: str, password: str, role: Role
) -> AgentView:
    password_hash = await hash_password(password)
    async with runtime.work() as work:
        session = work.session
        agent = await add_agent(
            session,
            outbox_of(runtime),
            account_id=account_id,
            name=name,
            email=email,
            password_hash=password_hash,
            role=role,
        )
        return (await _views(session, [agent]))[0]


async def _views(session: AsyncSession, agents: Sequence[Agent]) -> list[AgentView]:
    ids = [agent.id for agent in agents]
    inbox_ids = await agent_store.inbox_ids_of(session, ids)
    team_ids = await team_store.team_ids_of(session, ids)
    load = await loads.loads(session, ids)
    return [
        AgentView(
            agent=a,
            inbox_ids=inbox_ids[a.id],
            team_ids=team_ids[a.id],
            load=load[a.id][0],
            capacity=load[a.id][1],
        )
        for a in agents
    ]


async def locked_agent(session: AsyncSession, account_id: UUID, agent_id: UUID) -> Agent:
    """The agent's row, locked for a change of his (404 for another account's)."""
    return found(await agent_store.get_for_update(session, account_id, agent_id), AgentNotFound)


async def _view(session: AsyncSession, account_id: UUID, agent_id: UUID) -> AgentView:
    agent = found(await agent_store.get(session, account_id, agent_id), AgentNotFound)
    return (await _views(session, [agent]))[0]


async def get_agent(runtime: DatabaseRuntime, *, account_id: UUID, agent_id: UUID) -> AgentView:
    async with runtime.db.session() as session:
        return await _view(session, account_id, agent_id)


async def list_agents(
    runtime: DatabaseRuntime, *, caller: Principal, page: PageQuery, available_for_transfer: bool
) -> Rows[AgentView]:
    """The account's agents, oldest first; or (``available_for_transfer``) those a transfer
    can go to right now (status online, a live connection), the least loaded first and the
    caller left out."""
    async with runtime.db.session() as session:
        if available_for_transfer:
            rows, next_cursor = await agent_store.available_for_transfer(
                session, caller.account_id, caller.id, page
            )
        else:
            rows, next_cursor = await agent_store.page(session, caller.account_id, page)
        return Rows(await _views(session, rows), next_cursor)


async def update_agent(
    runtime: DatabaseRuntime, *, account_id: UUID, agent_id: UUID, changes: dict[str, object]
) -> AgentView:
    """Change the agent's name, capacity (None: the account's default), role or activation. A
    new role or a deactivation ends his sessions at once (a refresh brings the new role; a
    deactivated agent cannot log in), and a deactivated agent's conversations go back to the
    queue at once; an account keeps at least one active admin. More capacity drains his
    queues at once."""
    from switchboard.routing.assignment.service.drain import drain_for_agent
    from switchboard.routing.assignment.service.release import release_conversations_of

    async with runtime.work() as work:
        session = work.session
        agent = await locked_agent(session, account_id, agent_id)
        changed = {name for name in changes if getattr(agent, name) != changes[name]}
        if changed & {"role", "active"} and agent.role == Role.admin.value and agent.active:
            await _keep_an_admin(session, agent, changes)
        if "name" in changed:
            agent.name = str(changes["name"])
        if "capacity" in changed:
            agent.capacity = changes["capacity"]  # type: ignore[assignment]
        if "role" in changed:
            agent.role = Role(str(changes["role"])).value
        if "active" in changed:
            agent.active = bool(changes["active"])
            if not agent.active:
                agent.status = AgentStatus.offline.value
        if "active" in changed and not agent.active:
            await end_sessions(session, outbox_of(runtime), agent, "deactivated")
        elif "role" in changed:
            await end_sessions(session, outbox_of(runtime), agent, "role_changed")
        if changed:
            await outbox_of(runtime).add(session, events.agent_updated(agent, changed))
        version = agent.session_version
    if changed & {"role", "active"}:
        await publish_session_versions(runtime, {agent_id: version})
    if "active" in changed and not changes["active"]:
        await release_conversations_of(runtime, account_id=account_id, agent_id=agent_id)
    await drain_for_agent(runtime, account_id=account_id, agent_id=agent_id)
    return await get_agent(runtime, account_id=account_id, agent_id=agent_id)


async def update_profile(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    agent_id: UUID,
    changes: dict[str, object],
    notifications: dict[str, bool],
) -> AgentView:
    """Change the agent's own name, avatar, signature (None: none) and notification
    preferences (``notifications``: the kinds that change); ``agent.updated`` tells his other
    devices and chat (which appends his signature and makes his notifications)."""
    async with runtime.work() as work:
        session = work.session
        agent = await locked_agent(session, account_id, agent_id)
        changed = {name for name in changes if getattr(agent, name) != changes[name]}
        for name in changed:
            setattr(agent, name, changes[name])
        before = NotificationPreferences.muting(agent.muted_notifications)
        after = before.model_copy(update=notifications)
        if after != before:
            agent.muted_notifications = after.muted()
            changed.add("notifications")
        if changed:
            await outbox_of(runtime).add(session, events.agent_updated(agent, changed))
        return (await _views(session, [agent]))[0]


async def _keep_an_admin(session: AsyncSession, admin: Agent, changes: dict[str, object]) -> None:
    stays_admin = changes.get("role", admin.role) == Role.admin.value
    stays_active = bool(changes.get("active", True))
    if stays_admin and stays_active:
        return
    others = await agent_store.active_admins(session, admin.account_id, excluding=admin.id)
    if not others:
        raise LastAdmin()


async def set_password(
    runtime: DatabaseRuntime, *, account_id: UUID, agent_id: UUID, password: str
) -> None:
    """Give the agent a new password (an operator's reset): every session of his ends."""
    password_hash = await hash_password(password)
    async with runtime.work() as work:
        session = work.session
        agent = await locked_agent(session, account_id, agent_id)
        agent.password_hash = password_hash
        await end_sessions(session, outbox_of(runtime), agent, "password_changed")
        version = agent.session_version
    await publish_session_versions(runtime, {agent_id: version})
