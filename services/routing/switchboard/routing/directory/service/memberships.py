"""Inbox membership: who may be assigned an inbox's conversations."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.contracts.chat import InboxCreated
from switchboard.contracts.routing import InboxMemberAdded, InboxMemberRemoved
from switchboard.core.events import Delivery, utcnow
from switchboard.core.pagination import decode_cursor, encode_cursor
from switchboard.core.runtime import Runtime
from switchboard.routing.assignment.service.drain import drain
from switchboard.routing.directory.service.agents import outbox_of
from switchboard.routing.directory.store import agents as agent_store
from switchboard.routing.directory.store import inboxes as inbox_store
from switchboard.routing.errors import AgentNotFound, AlreadyMember, InboxNotFound, MemberNotFound
from switchboard.routing.service import events
from switchboard.routing.store.models import Agent, InboxMember


@dataclass(frozen=True)
class Membership:
    inbox_id: UUID
    agent_id: UUID


async def add_inbox_member(
    runtime: Runtime,
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
    async with runtime.unit_of_work() as session:
        if inbox_name is not None and not await inbox_store.upsert(
            session, inbox_id=inbox_id, account_id=account_id, name=inbox_name
        ):
            raise InboxNotFound()
        if await inbox_store.get(session, account_id, inbox_id) is None:
            raise InboxNotFound()
        if await agent_store.get(session, account_id, agent_id) is None:
            raise AgentNotFound()
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
    runtime: Runtime, *, account_id: UUID, inbox_id: UUID, agent_id: UUID
) -> None:
    """The agent stops being a member: no new conversations of the inbox reach him, and he no
    longer sees those he is not assigned to or taking part in (his assigned ones stay his)."""
    async with runtime.unit_of_work() as session:
        if await inbox_store.get(session, account_id, inbox_id) is None:
            raise InboxNotFound()
        removed = await inbox_store.remove_member(
            session, account_id=account_id, inbox_id=inbox_id, agent_id=agent_id
        )
        if not removed:
            raise MemberNotFound("the agent is not a member of this inbox")
        await outbox_of(runtime).add(
            session,
            events.inbox_membership(InboxMemberRemoved, account_id, inbox_id, agent_id),
        )


async def inbox_known(runtime: Runtime, *, account_id: UUID, inbox_id: UUID) -> bool:
    async with runtime.database.session() as session:
        return await inbox_store.get(session, account_id, inbox_id) is not None


async def list_inbox_members(
    session: AsyncSession, *, account_id: UUID, inbox_id: UUID, cursor: str | None, limit: int
) -> tuple[list[tuple[InboxMember, Agent]], str | None]:
    if await inbox_store.get(session, account_id, inbox_id) is None:
        raise InboxNotFound()
    after = None
    if cursor is not None:
        decoded = decode_cursor(cursor)
        after = (decoded.at, decoded.id)
    statement = inbox_store.members_page(account_id, inbox_id, after=after, limit=limit + 1)
    rows = [(row[0], row[1]) for row in await session.execute(statement)]
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1][0] if rows else None
    next_cursor = encode_cursor(last.added_at, last.agent_id) if more and last else None
    return rows, next_cursor


async def record_inbox(runtime: Runtime, event: Delivery[InboxCreated]) -> None:
    """Project chat's ``inbox.created``."""
    inbox = event.data
    async with runtime.unit_of_work(handling=event) as session:
        await inbox_store.upsert(
            session, inbox_id=inbox.inbox_id, account_id=event.account_id, name=inbox.name
        )
