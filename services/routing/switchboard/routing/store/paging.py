"""Routing's lists: oldest first, a page read in one call (core's keyset and split_page)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from operator import attrgetter
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Select, SQLColumnExpression, select
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.pagination import PageQuery, Rows, keyset, split_page
from switchboard.routing.store.models import Base

T = TypeVar("T")


async def oldest_first(
    session: AsyncSession,
    statement: Select[T],
    at: SQLColumnExpression[datetime],
    id_: SQLColumnExpression[UUID],
    page: PageQuery,
    key: Callable[[T], tuple[datetime, UUID]],
) -> Rows[T]:
    """The page of a one-entity list in ``(at, id)`` order, and the next page's cursor."""
    rows = list(await session.scalars(keyset(statement, at, id_, page, newest_first=False)))
    return split_page(rows, page, key)


async def rows_oldest_first(
    session: AsyncSession,
    statement: Select[Any, Any],
    at: SQLColumnExpression[datetime],
    id_: SQLColumnExpression[UUID],
    page: PageQuery,
    key: Callable[[tuple[Any, ...]], tuple[datetime, UUID]],
) -> Rows[tuple[Any, ...]]:
    """The same for a list whose rows are several entities (a membership and its agent)."""
    statement = keyset(statement, at, id_, page, newest_first=False)
    rows = [tuple(row) for row in await session.execute(statement)]
    return split_page(rows, page, key)


Row = TypeVar("Row", bound=Base)


async def of_the_account(
    session: AsyncSession, model: type[Row], account_id: UUID, page: PageQuery
) -> Rows[Row]:
    """The account's rows of ``model`` (agents, teams) in the order they were created."""
    columns = model.__table__.c
    statement = select(model).where(columns.account_id == account_id)
    key = attrgetter("created_at", "id")
    return await oldest_first(session, statement, columns.created_at, columns.id, page, key)
