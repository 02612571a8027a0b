"""Queries of inboxes and visitors."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store.models import Inbox, Visitor
from switchboard.chat.store.paging import newest_first, split_page


async def get(session: AsyncSession, account_id: UUID, inbox_id: UUID) -> Inbox | None:
    return await session.scalar(
        select(Inbox).where(Inbox.id == inbox_id, Inbox.account_id == account_id)
    )


async def by_widget_token(session: AsyncSession, widget_token: str) -> Inbox | None:
    return await session.scalar(select(Inbox).where(Inbox.widget_token == widget_token))


async def page(
    session: AsyncSession, account_id: UUID, *, cursor: str | None, limit: int
) -> tuple[list[Inbox], str | None]:
    statement = newest_first(
        select(Inbox).where(Inbox.account_id == account_id),
        Inbox.created_at,
        Inbox.id,
        cursor=cursor,
        limit=limit,
    )
    rows = list(await session.scalars(statement))
    return split_page(rows, limit, lambda inbox: (inbox.created_at, inbox.id))


async def get_visitor(session: AsyncSession, account_id: UUID, visitor_id: UUID) -> Visitor | None:
    return await session.scalar(
        select(Visitor).where(Visitor.id == visitor_id, Visitor.account_id == account_id)
    )
