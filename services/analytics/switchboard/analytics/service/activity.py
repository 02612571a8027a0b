"""Use cases of the daily activity read model: count what happened, read the days back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from switchboard.analytics.domain.counting import Increment, increment_for, summed
from switchboard.analytics.errors import InvalidRange
from switchboard.analytics.store import activity
from switchboard.analytics.store.models import DailyActivity
from switchboard.core.events import Delivery, utcnow
from switchboard.core.runtime import DatabaseRuntime

__all__ = ["count", "daily_activity"]


async def count(runtime: DatabaseRuntime, events: Sequence[Delivery[Any]]) -> None:
    """Add the events handled for the first time to their days, in one transaction (the ids
    recorded with one statement, the batch form of ``work(handling=...)``)."""
    counted = [
        (event, increment)
        for event in events
        if (increment := increment_for(event.type, event.occurred_at)) is not None
    ]
    if not counted:
        return
    async with runtime.work() as work:
        session = work.session
        first = await work.first_deliveries([e.id for e, _ in counted])
        fresh: list[tuple[str, Increment]] = []
        for event, increment in counted:
            if event.id in first:  # a repeated id in one batch counts once
                first.discard(event.id)
                fresh.append((event.envelope.account_id, increment))
        for (account_id, _), increment in sorted(summed(fresh).items()):
            await activity.add(session, UUID(account_id), increment)


async def daily_activity(
    runtime: DatabaseRuntime, *, account_id: UUID, start: date | None, end: date | None
) -> list[DailyActivity]:
    """The days of ``start`` to ``end`` that saw activity (default: the last 30 days)."""
    end = end or utcnow().date()
    start = start or end - timedelta(days=29)
    if start > end:
        raise InvalidRange("'from' must not be after 'to'")
    if (end - start).days > 366:
        raise InvalidRange("a range covers at most 366 days")
    async with runtime.db.session() as session:
        return await activity.between(session, account_id, start, end)
