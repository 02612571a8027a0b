"""Inbox membership: who may be assigned an inbox's conversations."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.contracts.chat import InboxCreated
from switchboard.contracts.routing import InboxMemberAdded, InboxMemberRemoved
from switchboard.core.auth import Principal
from switchboard.core.events import Delivery, utcnow
from switchboard.core.pagination import PageQuery, Rows
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.service.drain import drain
from switchboard.routing.directory.service.access import require_inbox_member
from switchboard.routing.directory.service.agents import outbox_of
from switchboard.routing.directory.store import agents as agent_store
from switchboard.routing.directory.store import inboxes as inbox_store
from switchboard.routing.errors import (
    AgentNotFound,
    AlreadyMember,
    InboxNotFound,
    MemberNotFound,
    found,
)
from switchboard.routing.service import events
from switchboard.routing.store.models import Agent, Inbox, InboxMember


@dataclass(frozen=True)
class Membership:
    inbox_id: UUID
    agent_id: UUID


async def add_inbox_member(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    inbox_id: UUID,
    agent_id: UUID,
    inbox_name: str | None = None,
) -> Membership:
    """Make the agent a member of the inbox, then drain the inbox's queue.

    With ``inbox_name`` the inbox projection is written first, so a member can be added before
    chat's ``inbox.created`` arrives. Raises ``AgentNotFound`` or ``InboxNotFound`` for an agent
    or inbox of another account and ``AlreadyMember`` for a second add.
    """
    async with runtime.work() as work:
        session = work.session
        if inbox_name is not None and not await inbox_store.upsert(
            session, inbox_id=inbox_id, account_id=account_id, name=inbox_name
        ):
            raise InboxNotFound()
        await require_inbox(session, account_id, inbox_id)
        found(await agent_store.get(session, account_id, agent_id), AgentNotFound)
        added = await inbox_store.add_member(
            session, account_id=account_id, inbox_id=inbox_id, agent_id=agent_id, at=utcnow()
        )
        if not added:
            raise AlreadyMember("the agent is a member of this inbox already")
        await outbox_of(runtime).add(
            session, events.inbox_membership(InboxMemberAdded, account_id, inbox_id, agent_id)
        )
    await drain(runtime, account_id=account_id, inbox_ids=[inbox_id])
    return Membership(inbox_id=inbox_id, agent_id=agent_id)


async def remove_inbox_member(
    runtime: DatabaseRuntime, *, account_id: UUID, inbox_id: UUID, agent_id: UUID
) -> None:
    """The agent stops being a member: no new conversations of the inbox reach him, and he no
    longer sees those he is not assigned to or taking part in (his assigned ones stay his)."""
    async with runtime.work() as work:
        session = work.session
        await require_inbox(session, account_id, inbox_id)
        removed = await inbox_store.remove_member(
            session, account_id=account_id, inbox_id=inbox_id, agent_id=agent_id
        )
        if not removed:
            raise MemberNotFound("the agent is not a member of this inbox")
        await outbox_of(runtime).add(
            session,
            events.inbox_membership(InboxMemberRemoved, account_id, inbox_id, agent_id),
        )


async def inbox_known(runtime: DatabaseRuntime, *, account_id: UUID, inbox_id: UUID) -> bool:
    async with runtime.db.session() as session:
        return await inbox_store.get(session, account_id, inbox_id) is not None


async def list_inbox_members(
    runtime: DatabaseRuntime, *, caller: Principal, inbox_id: UUID, page: PageQuery
) -> Rows[tuple[InboxMember, Agent]]:
    """The members of an inbox of the caller's account (an agent: of his own inboxes)."""
    async with runtime.db.session() as session:
        await require_inbox_member(session, caller, inbox_id)
        await require_inbox(session, caller.account_id, inbox_id)
        return await inbox_store.members_page(session, caller.account_id, inbox_id, page)


async def require_inbox(session: AsyncSession, account_id: UUID, inbox_id: UUID) -> Inbox:
    return found(await inbox_store.get(session, account_id, inbox_id), InboxNotFound)


async def record_inbox(runtime: DatabaseRuntime, event: Delivery[InboxCreated]) -> None:
    """Project chat's ``inbox.created``."""
    inbox = event.data
    async with runtime.work(handling=event) as work:
        session = work.session
        await inbox_store.upsert(
            session, inbox_id=inbox.inbox_id, account_id=event.account_id, name=inbox.name
        )
