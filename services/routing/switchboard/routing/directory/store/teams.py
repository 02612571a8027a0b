"""Queries of teams, their members and the teams they may transfer to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.pagination import PageQuery, Rows
from switchboard.routing.directory.store.agents import member_page
from switchboard.routing.store.models import (
    Agent,
    Inbox,
    InboxMember,
    Team,
    TeamMember,
    TeamTransferTarget,
)
from switchboard.routing.store.paging import of_the_account
from switchboard.routing.store.queries import added, by_id, grouped


async def get(session: AsyncSession, account_id: UUID, team_id: UUID) -> Team | None:
    return await by_id(session, Team, account_id, team_id)


async def by_name(session: AsyncSession, account_id: UUID, name: str) -> Team | None:
    team: Team | None = await session.scalar(
        select(Team).where(Team.account_id == account_id, Team.name == name)
    )
    return team


async def page(session: AsyncSession, account_id: UUID, page: PageQuery) -> Rows[Team]:
    return await of_the_account(session, Team, account_id, page)


async def transfer_targets(
    session: AsyncSession, team_ids: Sequence[UUID]
) -> dict[UUID, list[UUID]]:
    """The teams each team may transfer to (none: any)."""
    target = TeamTransferTarget.target_team_id
    return await grouped(session, TeamTransferTarget.team_id, target, team_ids, target)


async def set_transfer_targets(
    session: AsyncSession, team_id: UUID, targets: Sequence[UUID]
) -> None:
    await session.execute(delete(TeamTransferTarget).where(TeamTransferTarget.team_id == team_id))
    if targets:
        await session.execute(
            insert(TeamTransferTarget.__table__).values(
                [{"team_id": team_id, "target_team_id": target} for target in targets]
            )
        )


async def member_ids(session: AsyncSession, team_ids: Sequence[UUID]) -> dict[UUID, list[UUID]]:
    """The members of each team, in the order they joined."""
    agent = TeamMember.agent_id
    return await grouped(session, TeamMember.team_id, agent, team_ids, TeamMember.added_at, agent)


async def add_member(
    session: AsyncSession, *, account_id: UUID, team_id: UUID, agent_id: UUID, at: datetime
) -> bool:
    """Add the membership; False when the agent already was a member."""
    values = {"team_id": team_id, "agent_id": agent_id, "account_id": account_id, "added_at": at}
    return await added(session, TeamMember.__table__, **values)


async def remove_member(session: AsyncSession, *, team_id: UUID, agent_id: UUID) -> bool:
    result = await session.execute(
        delete(TeamMember)
        .where(TeamMember.team_id == team_id, TeamMember.agent_id == agent_id)
        .returning(TeamMember.agent_id)
    )
    return result.first() is not None


async def members_page(
    session: AsyncSession, team_id: UUID, page: PageQuery
) -> Rows[tuple[TeamMember, Agent]]:
    return await member_page(session, TeamMember, TeamMember.team_id == team_id, page)


async def team_ids_of(session: AsyncSession, agent_ids: Sequence[UUID]) -> dict[UUID, list[UUID]]:
    """The teams of each agent, in the order he joined them."""
    team = TeamMember.team_id
    return await grouped(session, TeamMember.agent_id, team, agent_ids, TeamMember.added_at, team)


async def served_teams(session: AsyncSession, agent_id: UUID) -> set[UUID]:
    """The agent's teams and the teams that fall back to one of them."""
    own = set((await team_ids_of(session, [agent_id]))[agent_id])
    if not own:
        return own
    falling_back = await session.scalars(select(Team.id).where(Team.fallback_team_id.in_(own)))
    return own | set(falling_back)


async def served_inboxes(session: AsyncSession, agent_id: UUID, teams: set[UUID]) -> set[UUID]:
    """Inboxes whose conversations the agent may get: routed to its inbox membership (no
    team) or to one of ``teams``."""
    member_of = select(InboxMember.inbox_id).where(InboxMember.agent_id == agent_id)
    clauses: list[ColumnElement[bool]] = [Inbox.team_id.is_(None) & Inbox.id.in_(member_of)]
    if teams:
        clauses.append(Inbox.team_id.in_(teams))
    rows = await session.scalars(select(Inbox.id).where(or_(*clauses)))
    return set(rows)


async def is_member(session: AsyncSession, team_id: UUID, agent_id: UUID) -> bool:
    found = await session.scalar(
        select(TeamMember.agent_id).where(
            TeamMember.team_id == team_id, TeamMember.agent_id == agent_id
        )
    )
    return found is not None
