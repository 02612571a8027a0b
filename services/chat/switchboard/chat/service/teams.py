"""The team-name projection fed by routing's ``team.*`` events."""

from __future__ import annotations

from switchboard.chat.store import teams as store
from switchboard.contracts.routing import TeamCreated, TeamUpdated
from switchboard.core.events import Delivery, utcnow
from switchboard.core.runtime import DatabaseRuntime


async def record_team(runtime: DatabaseRuntime, event: Delivery[TeamCreated | TeamUpdated]) -> None:
    """Remember a team's name."""
    team = event.data
    async with runtime.work(handling=event) as work:
        session = work.session
        await store.upsert(
            session, team_id=team.team_id, account_id=event.account_id, name=team.name, at=utcnow()
        )
