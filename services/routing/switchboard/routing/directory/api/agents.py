from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from switchboard.core.auth import AdminDep, AgentDep
from switchboard.core.errors import Unprocessable
from switchboard.core.openapi import refusals
from switchboard.core.pagination import Page, PageDep
from switchboard.core.routes import answers, creates, lists
from switchboard.core.runtime import DatabaseRuntimeDep
from switchboard.routing.assignment.service.availability import set_availability
from switchboard.routing.directory.api.schemas import (
    AgentCreate,
    AgentRead,
    AgentUpdate,
    AvailabilityUpdate,
    MeUpdate,
)
from switchboard.routing.directory.service import agents
from switchboard.routing.errors import AgentNotFound, EmailTaken, LastAdmin

router = APIRouter(prefix="/v1", tags=["agents"])


async def _available(
    available_for_transfer: Annotated[
        bool,
        Query(description="Only agents online now (status and connection), least loaded first."),
    ] = False,
) -> bool:
    return available_for_transfer


# A dependency, so that the parameter stays after the page's (a path's own parameters come
# before those of its dependencies in the document).
AvailableDep = Annotated[bool, Depends(_available)]


# An agent is never deleted: its 404 would mean a token of an agent this routing never had.
_GONE = refusals(AgentNotFound)


@router.get("/me", response_model=AgentRead, responses=_GONE)
async def get_me(me: AgentDep, runtime: DatabaseRuntimeDep) -> AgentRead:
    """The calling agent, with its availability, presence and inboxes."""
    return AgentRead.of(await agents.get_agent(runtime, account_id=me.account_id, agent_id=me.id))


@router.patch("/me", response_model=AgentRead, responses=_GONE)
async def update_me(body: MeUpdate, me: AgentDep, runtime: DatabaseRuntimeDep) -> AgentRead:
    """Change the caller's own name, avatar, signature and which notifications he gets; only
    what is sent changes (null clears the avatar or the signature)."""
    changes = {name: getattr(body, name) for name in body.model_fields_set - {"notifications"}}
    if "name" in changes and changes["name"] is None:
        raise Unprocessable("name cannot be null")
    notifications: dict[str, bool] = {}
    if body.notifications is not None:
        notifications = body.notifications.model_dump(exclude_unset=True)
    elif "notifications" in body.model_fields_set:
        raise Unprocessable("notifications cannot be null")
    for kind, on in notifications.items():
        if on is None:
            raise Unprocessable(f"notifications.{kind} cannot be null")
    view = await agents.update_profile(
        runtime,
        account_id=me.account_id,
        agent_id=me.id,
        changes=changes,
        notifications=notifications,
    )
    return AgentRead.of(view)


@router.put("/me/availability", response_model=AgentRead, responses=_GONE)
async def update_my_availability(
    body: AvailabilityUpdate, me: AgentDep, runtime: DatabaseRuntimeDep
) -> AgentRead:
    """Set the caller's routing status and whether it accepts automatically assigned chats."""
    view = await set_availability(
        runtime,
        account_id=me.account_id,
        agent_id=me.id,
        status=body.status,
        accept_auto_assign=body.accept_auto_assign,
    )
    return AgentRead.of(view)


@router.post("/agents", **creates(AgentRead, EmailTaken))
async def create_agent(
    body: AgentCreate, admin: AdminDep, runtime: DatabaseRuntimeDep
) -> AgentRead:
    """Create an agent of the caller's account (admins only)."""
    view = await agents.create_agent(
        runtime,
        account_id=admin.account_id,
        name=body.name,
        email=body.email,
        password=body.password,
        role=body.role,
    )
    return AgentRead.of(view)


@router.get("/agents", **lists(AgentRead))
async def list_agents(
    caller: AgentDep,
    runtime: DatabaseRuntimeDep,
    page: PageDep,
    available_for_transfer: AvailableDep,
) -> Page[AgentRead]:
    """The agents of the caller's account, oldest first; or those a transfer can go to."""
    views = await agents.list_agents(
        runtime, caller=caller, page=page, available_for_transfer=available_for_transfer
    )
    return Page.of_rows(views, AgentRead.seen_by(caller))


@router.get("/agents/{agent_id}", **answers(AgentRead, AgentNotFound))
async def get_agent(agent_id: UUID, caller: AgentDep, runtime: DatabaseRuntimeDep) -> AgentRead:
    """One agent of the caller's account (his signature and preferences: to himself and the
    admins)."""
    view = await agents.get_agent(runtime, account_id=caller.account_id, agent_id=agent_id)
    return AgentRead.seen_by(caller)(view)


@router.patch("/agents/{agent_id}", **answers(AgentRead, AgentNotFound, LastAdmin))
async def update_agent(
    agent_id: UUID, body: AgentUpdate, admin: AdminDep, runtime: DatabaseRuntimeDep
) -> AgentRead:
    """Change an agent's name, capacity (null: the account default), role or activation
    (admins only). A new role or a deactivation ends the agent's sessions at once, and a
    deactivated agent's open, pending and snoozed conversations leave him at once
    (assignment.removed, reason deactivated: back to the queue); the account keeps at least
    one active admin (409 last_admin)."""
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    for name in ("name", "role", "active"):
        if name in changes and changes[name] is None:
            raise Unprocessable(f"{name} cannot be null")
    view = await agents.update_agent(
        runtime, account_id=admin.account_id, agent_id=agent_id, changes=changes
    )
    return AgentRead.of(view)
