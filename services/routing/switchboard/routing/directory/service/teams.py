"""Teams (departments): members, a fallback team, and the teams they may transfer to."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import cast
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from uuid6 import uuid7

from switchboard.contracts import routing as contract
from switchboard.core.events import utcnow
from switchboard.core.pagination import PageQuery, Rows
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.work import UnitOfWork
from switchboard.routing.assignment.domain.strategy import parse_strategy
from switchboard.routing.assignment.service.drain import drain, drain_for_agent
from switchboard.routing.directory.store import agents as agent_store
from switchboard.routing.directory.store import teams as team_store
from switchboard.routing.errors import (
    AgentNotFound,
    AlreadyMember,
    InvalidStrategy,
    InvalidTeamReference,
    MemberNotFound,
    TeamNameTaken,
    TeamNotFound,
    found,
)
from switchboard.routing.service import events
from switchboard.routing.store.models import Agent, Team, TeamMember
from switchboard.routing.store.queries import saved


@dataclass(frozen=True)
class TeamView:
    team: Team
    member_ids: list[UUID]
    transfer_team_ids: list[UUID]


def checked_strategy(value: str) -> str:
    try:
        return parse_strategy(value).value
    except ValueError as exc:
        raise InvalidStrategy(str(exc)) from exc


async def _team(session: AsyncSession, account_id: UUID, team_id: UUID) -> Team:
    return found(await team_store.get(session, account_id, team_id), TeamNotFound)


@asynccontextmanager
async def _changing_team(
    runtime: DatabaseRuntime, account_id: UUID, team_id: UUID
) -> AsyncIterator[tuple[UnitOfWork, Team]]:
    """One change to a team of the account: its transaction, the team found first (its 404
    before anything else is read or written)."""
    async with runtime.work() as work:
        yield work, await _team(work.session, account_id, team_id)


async def _check_teams(
    session: AsyncSession, account_id: UUID, team_ids: Sequence[UUID], *, itself: UUID | None
) -> None:
    for team_id in team_ids:
        if team_id == itself:
            raise InvalidTeamReference()
        await _team(session, account_id, team_id)


async def _views(session: AsyncSession, teams: Sequence[Team]) -> list[TeamView]:
    ids = [team.id for team in teams]
    members = await team_store.member_ids(session, ids)
    targets = await team_store.transfer_targets(session, ids)
    return [TeamView(team, members[team.id], targets[team.id]) for team in teams]


async def _view(session: AsyncSession, team: Team) -> TeamView:
    return (await _views(session, [team]))[0]


async def create_team(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    name: str,
    strategy: str,
    fallback_team_id: UUID | None,
    transfer_team_ids: Sequence[UUID],
) -> TeamView:
    """Create a team; ``team.created`` goes to supervisors."""
    strategy = checked_strategy(strategy)
    async with runtime.work() as work:
        session = work.session
        refs = [*([fallback_team_id] if fallback_team_id else []), *transfer_team_ids]
        await _check_teams(session, account_id, refs, itself=None)
        team = Team(
            id=uuid7(),
            account_id=account_id,
            name=name,
            strategy=strategy,
            fallback_team_id=fallback_team_id,
            created_at=utcnow(),
        )
        if not await saved(session, team):
            raise TeamNameTaken()
        await team_store.set_transfer_targets(
            session, team.id, list(dict.fromkeys(transfer_team_ids))
        )
        await work.publish(events.team_created(team))
        return await _view(session, team)


async def update_team(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    team_id: UUID,
    changes: dict[str, object],
) -> TeamView:
    """Change the name, strategy, fallback team or transfer targets (the keys present)."""
    async with _changing_team(runtime, account_id, team_id) as (work, team):
        session = work.session
        fallback = cast(UUID | None, changes.get("fallback_team_id"))
        targets = list(dict.fromkeys(cast(list[UUID], changes.get("transfer_team_ids") or [])))
        # Every read comes before the changes: a read flushes them, and a taken name would
        # fail there instead of as the 409 below.
        refs = [*([fallback] if fallback is not None else []), *targets]
        await _check_teams(session, account_id, refs, itself=team_id)
        if "strategy" in changes:
            team.strategy = checked_strategy(str(changes["strategy"]))
        if "name" in changes:
            team.name = str(changes["name"])
        if "fallback_team_id" in changes:
            team.fallback_team_id = fallback
        if not await saved(session):
            raise TeamNameTaken()
        if "transfer_team_ids" in changes:
            await team_store.set_transfer_targets(session, team_id, targets)
        view = await _view(session, team)
    await drain(runtime, account_id=account_id, team_ids=[team_id])
    return view


async def get_team(runtime: DatabaseRuntime, *, account_id: UUID, team_id: UUID) -> TeamView:
    async with runtime.db.session() as session:
        return await _view(session, await _team(session, account_id, team_id))


async def list_teams(
    runtime: DatabaseRuntime, *, account_id: UUID, page: PageQuery
) -> Rows[TeamView]:
    async with runtime.db.session() as session:
        teams, next_cursor = await team_store.page(session, account_id, page)
        return Rows(await _views(session, teams), next_cursor)


async def add_team_member(
    runtime: DatabaseRuntime, *, account_id: UUID, team_id: UUID, agent_id: UUID
) -> TeamMember:
    """Add the agent to the team (``team.member_added``), then drain the queues it now
    serves."""
    async with _changing_team(runtime, account_id, team_id) as (work, _):
        found(await agent_store.get(work.session, account_id, agent_id), AgentNotFound)
        now = utcnow()
        added = await team_store.add_member(
            work.session, account_id=account_id, team_id=team_id, agent_id=agent_id, at=now
        )
        if not added:
            raise AlreadyMember()
        await work.publish(
            events.team_membership(contract.TeamMemberAdded, account_id, team_id, agent_id)
        )
    await drain_for_agent(runtime, account_id=account_id, agent_id=agent_id)
    return TeamMember(team_id=team_id, agent_id=agent_id, account_id=account_id, added_at=now)


async def remove_team_member(
    runtime: DatabaseRuntime, *, account_id: UUID, team_id: UUID, agent_id: UUID
) -> None:
    """Take the agent out of the team (``team.member_removed``)."""
    async with _changing_team(runtime, account_id, team_id) as (work, _):
        if not await team_store.remove_member(work.session, team_id=team_id, agent_id=agent_id):
            raise MemberNotFound()
        await work.publish(
            events.team_membership(contract.TeamMemberRemoved, account_id, team_id, agent_id)
        )


async def list_team_members(
    runtime: DatabaseRuntime, *, account_id: UUID, team_id: UUID, page: PageQuery
) -> Rows[tuple[TeamMember, Agent]]:
    async with runtime.db.session() as session:
        await _team(session, account_id, team_id)
        return await team_store.members_page(session, team_id, page)
