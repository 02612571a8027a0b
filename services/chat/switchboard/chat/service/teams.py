"""The team projections fed by routing's ``team.*`` events: names and memberships."""

from __future__ import annotations

from switchboard.chat.store import access as access_store
from switchboard.chat.store import teams as store
from switchboard.contracts.routing import (
    TeamCreated,
    TeamMemberAdded,
    TeamMemberRemoved,
    TeamUpdated,
)
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


async def record_team_membership(
    runtime: DatabaseRuntime, event: Delivery[TeamMemberAdded | TeamMemberRemoved]
) -> None:
    """Project routing's ``team.member_added`` / ``team.member_removed`` (who sees a team's
    quick replies)."""
    membership = event.data
    async with runtime.work(handling=event) as work:
        await access_store.set_team_member(
            work.session,
            event.account_id,
            membership.team_id,
            membership.agent_id,
            member=isinstance(membership, TeamMemberAdded),
        )
