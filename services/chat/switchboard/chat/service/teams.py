"""The team-name projection fed by routing's ``team.*`` events."""

from __future__ import annotations

from uuid import UUID

from switchboard.chat.store import teams as store
from switchboard.core.events import utcnow
from switchboard.core.outbox import first_delivery
from switchboard.core.runtime import Runtime


async def record_team(
    runtime: Runtime, *, event_id: str, account_id: UUID, team_id: UUID, name: str
) -> bool:
    """Remember a team's name; False when the event was handled before."""
    assert runtime.processed is not None
    async with runtime.unit_of_work() as session:
        if not await first_delivery(session, runtime.processed, event_id):
            return False
        await store.upsert(session, team_id=team_id, account_id=account_id, name=name, at=utcnow())
    return True
