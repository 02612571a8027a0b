"""Queries of inboxes and visitors."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store.models import Inbox, InboxMember, Visitor
from switchboard.core.pagination import PageQuery, Rows, keyset, split_page


async def get(
    session: AsyncSession, account_id: UUID, inbox_id: UUID, *, member_id: UUID | None = None
) -> Inbox | None:
    """The inbox of the account (of which ``member_id`` is a member, when given)."""
    statement = select(Inbox).where(Inbox.id == inbox_id, Inbox.account_id == account_id)
    if member_id is not None:
        statement = statement.where(_of_member(member_id))
    return await session.scalar(statement)


async def by_widget_token(session: AsyncSession, widget_token: str) -> Inbox | None:
    return await session.scalar(select(Inbox).where(Inbox.widget_token == widget_token))


def _of_member(agent_id: UUID) -> ColumnElement[bool]:
    return Inbox.id.in_(select(InboxMember.inbox_id).where(InboxMember.agent_id == agent_id))


async def page_of(
    session: AsyncSession, account_id: UUID, page: PageQuery, *, member_id: UUID | None = None
) -> Rows[Inbox]:
    """``member_id``: only the inboxes that agent is a member of."""
    statement = select(Inbox).where(Inbox.account_id == account_id)
    if member_id is not None:
        statement = statement.where(_of_member(member_id))
    rows = list(await session.scalars(keyset(statement, Inbox.created_at, Inbox.id, page)))
    return split_page(rows, page, lambda inbox: (inbox.created_at, inbox.id))


async def get_visitor(
    session: AsyncSession, account_id: UUID, visitor_id: UUID, *, for_update: bool = False
) -> Visitor | None:
    statement = select(Visitor).where(Visitor.id == visitor_id, Visitor.account_id == account_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)
