"""The transactional outbox: events are written with the change, published right after commit.

A use case publishes through its unit of work (``switchboard.core.work``: ``work.publish``),
which adds the event here inside the transaction, publishes what was added as soon as the
transaction commits and deletes the published rows; ``Outbox.sweep`` republishes rows a crash
left behind (consumers are idempotent, so a duplicate is harmless).

The consuming side: a transaction that handles a consumed event records the event's id in
``processed_event`` first (``runtime.work(handling=...)``); an event handled before stops it
with ``Repeated`` before its body runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

import orjson
import structlog
from sqlalchemy import Column, DateTime, LargeBinary, MetaData, String, Table, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import registry

from switchboard.core.bus import Bus
from switchboard.core.db import Database, column_types, schema_metadata
from switchboard.core.events import Envelope, utcnow
from switchboard.core.loops import one_round

__all__ = [
    "Outbox",
    "Repeated",
    "add_core_tables",
    "first_deliveries",
    "first_delivery",
    "pending",
    "schema_registry",
]

log = structlog.get_logger(__name__)
_PENDING = "sb_outbox_pending"
_CLEANUP_DELAY_SECONDS = 0.05


def add_core_tables(metadata: MetaData) -> tuple[Table, Table]:
    """Add the ``outbox`` and ``processed_event`` tables to a service's metadata."""
    outbox = Table(
        "outbox",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("payload", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    )
    processed = Table(
        "processed_event",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("handled_at", DateTime(timezone=True), nullable=False),
    )
    return outbox, processed


def schema_registry(schema: str) -> registry:
    """The registry of a service's declarative base: the metadata of ``schema`` with its
    ``outbox`` and ``processed_event`` tables, and the column types every service maps.

    The base stays a class of the service's own, so that mypy sees its models::

        class Base(DeclarativeBase):
            registry = schema_registry("chat")
            # Every model maps one table (DeclarativeBase types it as any FromClause).
            __table__: ClassVar[Table]
    """
    metadata = schema_metadata(schema)
    add_core_tables(metadata)
    return registry(metadata=metadata, type_annotation_map=column_types)


class Repeated(Exception):
    """The consumed event was handled before: its transaction stopped before its body ran.

    The handler registry (``switchboard.core.handlers``) acknowledges it like a handled one.
    """

    def __init__(self, event_id: str) -> None:
        super().__init__(f"event {event_id} was handled before")
        self.event_id = event_id


async def first_delivery(session: AsyncSession, processed: Table, event_id: str) -> bool:
    """Record ``event_id`` as handled in this transaction; False when it was handled before."""
    result = await session.execute(
        pg_insert(processed)
        .values(event_id=event_id, handled_at=utcnow())
        .on_conflict_do_nothing()
        .returning(processed.c.event_id)
    )
    return result.first() is not None


async def first_deliveries(
    session: AsyncSession, processed: Table, event_ids: Sequence[str]
) -> set[str]:
    """``first_delivery`` for many events in one statement: the ids handled for the first time."""
    unique = list(dict.fromkeys(event_ids))
    if not unique:
        return set()
    now = utcnow()
    result = await session.execute(
        pg_insert(processed)
        .values([{"event_id": event_id, "handled_at": now} for event_id in unique])
        .on_conflict_do_nothing()
        .returning(processed.c.event_id)
    )
    return {row[0] for row in result}


def pending(session: AsyncSession) -> list[Envelope]:
    """The events added in ``session``'s transaction, taken to be published after its commit."""
    envelopes: list[Envelope] = session.info.pop(_PENDING, [])
    return envelopes


class Outbox:
    def __init__(self, table: Table, bus: Bus, service: str) -> None:
        self.table = table
        self.bus = bus
        self.service = service
        self._published: list[str] = []
        self._cleanup: asyncio.Task[None] | None = None
        self._insert = table.insert()  # built once: its cache key is memoized

    async def add(self, session: AsyncSession, envelope: Envelope) -> None:
        await session.execute(
            self._insert,
            {"id": envelope.id, "payload": envelope.encode(), "created_at": envelope.occurred_at},
        )
        session.info.setdefault(_PENDING, []).append(envelope)

    async def add_many(self, session: AsyncSession, envelopes: Sequence[Envelope]) -> None:
        """``add`` for many events in one round trip, published in this order."""
        if not envelopes:
            return
        rows = [{"id": e.id, "payload": e.encode(), "created_at": e.occurred_at} for e in envelopes]
        # One row as one execution: the many-rows path costs more when there is only one.
        await session.execute(self._insert, rows[0] if len(rows) == 1 else rows)
        session.info.setdefault(_PENDING, []).extend(envelopes)

    async def publish_committed(self, db: Database, envelopes: list[Envelope]) -> None:
        """Publish events whose transaction committed, then forget their rows."""
        try:
            await self.bus.publish_many(self.service, envelopes)
        except Exception as exc:  # the sweeper publishes them later
            log.warning("outbox_publish_failed", error=repr(exc), count=len(envelopes))
            return
        self._published.extend(envelope.id for envelope in envelopes)
        if self._cleanup is None or self._cleanup.done():
            self._cleanup = asyncio.create_task(self._forget_published(db))

    async def _forget_published(self, db: Database) -> None:
        # One DELETE for everything published in the last moment, not one per event: the
        # rows only matter to the sweeper, which leaves young rows alone.
        await asyncio.sleep(_CLEANUP_DELAY_SECONDS)
        while self._published:
            ids, self._published = self._published[:1000], self._published[1000:]
            await self._forget(db, ids)

    async def _forget(self, db: Database, ids: list[str]) -> None:
        try:
            async with db.autocommit() as connection:  # one statement: no BEGIN, no COMMIT
                await connection.execute(delete(self.table).where(self.table.c.id.in_(ids)))
        except Exception as exc:
            log.warning("outbox_cleanup_failed", error=repr(exc))

    async def sweep(self, db: Database, *, min_age_seconds: float, limit: int = 500) -> int:
        """Publish rows older than ``min_age_seconds`` that are still here; returns the count."""
        cutoff = utcnow() - timedelta(seconds=min_age_seconds)
        async with db.session() as session, session.begin():
            rows = (
                await session.execute(
                    select(self.table.c.id, self.table.c.payload)
                    .where(self.table.c.created_at <= cutoff)
                    .order_by(self.table.c.created_at)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            envelopes = [Envelope.model_validate(orjson.loads(row.payload)) for row in rows]
            await self.bus.publish_many(self.service, envelopes)
            await session.execute(
                delete(self.table).where(self.table.c.id.in_([row.id for row in rows]))
            )
        log.info("outbox_swept", count=len(rows))
        return len(rows)

    async def run_sweeper(self, db: Database, *, interval: float, min_age_seconds: float) -> None:
        while True:
            await one_round(self.sweep(db, min_age_seconds=min_age_seconds), "outbox_sweep_failed")
            await asyncio.sleep(interval)

    async def drain_cleanup(self) -> None:
        """Wait until the rows of published events are deleted."""
        if self._cleanup is not None:
            await asyncio.gather(self._cleanup, return_exceptions=True)
