from uuid import UUID

from fastapi import APIRouter, Response

from switchboard.core.auth import AdminDep, AgentDep
from switchboard.core.pagination import Page, PageDep
from switchboard.core.routes import answers, creates, done, lists, removes
from switchboard.core.runtime import DatabaseRuntimeDep
from switchboard.routing.directory.api.schemas import (
    TeamCreate,
    TeamMemberCreate,
    TeamMemberDetail,
    TeamMemberRead,
    TeamRead,
    TeamUpdate,
)
from switchboard.routing.directory.service import teams
from switchboard.routing.errors import (
    AgentNotFound,
    AlreadyMember,
    InvalidStrategy,
    InvalidTeamReference,
    MemberNotFound,
    TeamNameTaken,
    TeamNotFound,
)

router = APIRouter(prefix="/v1/teams", tags=["teams"])


@router.post("", **creates(TeamRead, TeamNotFound, TeamNameTaken, InvalidStrategy))
async def create_team(body: TeamCreate, admin: AdminDep, runtime: DatabaseRuntimeDep) -> TeamRead:
    """Create a team (department) of the caller's account (admins only)."""
    view = await teams.create_team(
        runtime,
        account_id=admin.account_id,
        name=body.name,
        strategy=body.strategy,
        fallback_team_id=body.fallback_team_id,
        transfer_team_ids=body.transfer_team_ids,
    )
    return TeamRead.of(view)


@router.get("", **lists(TeamRead))
async def list_teams(
    caller: AgentDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> Page[TeamRead]:
    """The teams of the caller's account, oldest first."""
    return Page.of_rows(
        await teams.list_teams(runtime, account_id=caller.account_id, page=page), TeamRead.of
    )


@router.get("/{team_id}", **answers(TeamRead, TeamNotFound))
async def get_team(team_id: UUID, caller: AgentDep, runtime: DatabaseRuntimeDep) -> TeamRead:
    """One team of the caller's account."""
    view = await teams.get_team(runtime, account_id=caller.account_id, team_id=team_id)
    return TeamRead.of(view)


@router.patch(
    "/{team_id}",
    **answers(TeamRead, TeamNotFound, TeamNameTaken, InvalidStrategy, InvalidTeamReference),
)
async def update_team(
    team_id: UUID, body: TeamUpdate, admin: AdminDep, runtime: DatabaseRuntimeDep
) -> TeamRead:
    """Change a team's name, strategy, fallback team or transfer targets (admins only)."""
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    for name in ("name", "strategy", "transfer_team_ids"):
        if name in changes and changes[name] is None:
            del changes[name]
    view = await teams.update_team(
        runtime, account_id=admin.account_id, team_id=team_id, changes=changes
    )
    return TeamRead.of(view)


@router.post(
    "/{team_id}/members", **creates(TeamMemberRead, TeamNotFound, AgentNotFound, AlreadyMember)
)
async def add_team_member(
    team_id: UUID, body: TeamMemberCreate, admin: AdminDep, runtime: DatabaseRuntimeDep
) -> TeamMemberRead:
    """Make an agent a member of a team (admins only)."""
    member = await teams.add_team_member(
        runtime, account_id=admin.account_id, team_id=team_id, agent_id=body.agent_id
    )
    return TeamMemberRead(team_id=team_id, agent_id=member.agent_id, added_at=member.added_at)


@router.get("/{team_id}/members", **lists(TeamMemberDetail, TeamNotFound))
async def list_team_members(
    team_id: UUID, caller: AgentDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> Page[TeamMemberDetail]:
    """The members of a team, in the order they joined."""
    members = await teams.list_team_members(
        runtime, account_id=caller.account_id, team_id=team_id, page=page
    )
    return Page.of_rows(members, lambda row: TeamMemberDetail.of(*row))


@router.delete("/{team_id}/members/{agent_id}", **removes(TeamNotFound, MemberNotFound))
async def remove_team_member(
    team_id: UUID, agent_id: UUID, admin: AdminDep, runtime: DatabaseRuntimeDep
) -> Response:
    """Take an agent out of a team (admins only)."""
    await teams.remove_team_member(
        runtime, account_id=admin.account_id, team_id=team_id, agent_id=agent_id
    )
    return done()
