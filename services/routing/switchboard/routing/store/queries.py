"""Query shapes every routing store repeats: a row of the account by id, the ids grouped by
another id, a row added unless it is there."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from switchboard.routing.store.models import Base

Row = TypeVar("Row", bound=Base)


async def by_id(
    session: AsyncSession, model: type[Row], account_id: UUID, id_: UUID, *, lock: bool = False
) -> Row | None:
    """The account's row of ``model`` with this id (another account's is None); ``lock``:
    locked for the transaction (``FOR UPDATE``)."""
    columns = model.__table__.c
    statement = select(model).where(columns.account_id == account_id, columns.id == id_)
    if lock:
        statement = statement.with_for_update()
    row: Row | None = await session.scalar(statement)
    return row


async def grouped(
    session: AsyncSession,
    key: InstrumentedAttribute[UUID],
    value: InstrumentedAttribute[UUID],
    keys: Sequence[UUID],
    *order_by: ColumnElement[Any] | InstrumentedAttribute[Any],
) -> dict[UUID, list[UUID]]:
    """The ``value`` ids of each of ``keys`` (an agent's inboxes, a team's members), in
    ``order_by`` order; an empty list for a key without any."""
    result: dict[UUID, list[UUID]] = {id_: [] for id_ in keys}
    if not keys:
        return result
    rows = await session.execute(select(key, value).where(key.in_(list(keys))).order_by(*order_by))
    for id_, value_id in rows:
        result[id_].append(value_id)
    return result


async def added(session: AsyncSession, table: Table, **values: Any) -> bool:
    """Insert the row unless one with its key is there; False when it was."""
    key = next(iter(table.primary_key.columns))
    statement = insert(table).values(**values).on_conflict_do_nothing().returning(key)
    return (await session.execute(statement)).first() is not None


async def due(
    session: AsyncSession, model: type[Base], status: str, now: datetime, limit: int = 200
) -> list[tuple[UUID, UUID]]:
    """(account id, id) of the rows of ``model`` (offers, transfers) still ``status`` after
    their expiry: what the sweep expires when a job was lost."""
    columns = model.__table__.c
    rows = await session.execute(
        select(columns.account_id, columns.id)
        .where(columns.status == status, columns.expires_at <= now)
        .limit(limit)
    )
    return [(row[0], row[1]) for row in rows]


async def saved(session: AsyncSession, *rows: Base) -> bool:
    """Add ``rows`` and write every pending change in a savepoint; False (the changes undone,
    the transaction usable) when a unique key is taken, by a concurrent request too."""
    session.add_all(rows)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        return False
    return True
