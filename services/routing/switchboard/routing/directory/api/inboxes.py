from uuid import UUID

from fastapi import APIRouter, Request, Response

from switchboard.core.auth import AdminDep, AgentDep
from switchboard.core.openapi import refusals
from switchboard.core.pagination import CursorQuery, LimitQuery
from switchboard.core.runtime import RuntimeDep, SessionDep
from switchboard.routing.api.deps import ChatDep
from switchboard.routing.assignment.api.schemas import InboxRoutingRead, InboxRoutingUpdate
from switchboard.routing.directory.api.schemas import (
    InboxMemberCreate,
    InboxMemberDetail,
    InboxMemberList,
    InboxMemberRead,
)
from switchboard.routing.directory.service import access, inbox_routing, memberships
from switchboard.routing.directory.service.chat import fetch_inbox_name
from switchboard.routing.errors import (
    AgentNotFound,
    AlreadyMember,
    ChatUnavailable,
    InboxNotFound,
    InvalidStrategy,
    MemberNotFound,
    TeamNotFound,
)

router = APIRouter(prefix="/v1/inboxes", tags=["inboxes"])


@router.post(
    "/{inbox_id}/members",
    response_model=InboxMemberRead,
    status_code=201,
    responses=refusals(InboxNotFound, AgentNotFound, AlreadyMember, ChatUnavailable),
)
async def add_inbox_member(
    inbox_id: UUID,
    body: InboxMemberCreate,
    admin: AdminDep,
    runtime: RuntimeDep,
    chat: ChatDep,
    request: Request,
) -> InboxMemberRead:
    """Make an agent a member of an inbox, so it can be assigned the inbox's conversations."""
    inbox_name = None
    if not await memberships.inbox_known(runtime, account_id=admin.account_id, inbox_id=inbox_id):
        # chat's inbox.created may not have arrived yet: ask chat directly, as the caller.
        inbox_name = await fetch_inbox_name(
            chat, inbox_id=inbox_id, authorization=request.headers["authorization"]
        )
    membership = await memberships.add_inbox_member(
        runtime,
        account_id=admin.account_id,
        inbox_id=inbox_id,
        agent_id=body.agent_id,
        inbox_name=inbox_name,
    )
    return InboxMemberRead(inbox_id=membership.inbox_id, agent_id=membership.agent_id)


@router.delete(
    "/{inbox_id}/members/{agent_id}",
    status_code=204,
    response_class=Response,
    responses=refusals(InboxNotFound, MemberNotFound),
)
async def remove_inbox_member(
    inbox_id: UUID, agent_id: UUID, admin: AdminDep, runtime: RuntimeDep
) -> Response:
    """Remove an agent from an inbox: he gets none of its new conversations and no longer
    sees those he is not assigned to or taking part in."""
    await memberships.remove_inbox_member(
        runtime, account_id=admin.account_id, inbox_id=inbox_id, agent_id=agent_id
    )
    return Response(status_code=204)


@router.get(
    "/{inbox_id}/members",
    response_model=InboxMemberList,
    responses=refusals(InboxNotFound),
)
async def list_inbox_members(
    inbox_id: UUID,
    caller: AgentDep,
    session: SessionDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> InboxMemberList:
    """The members of an inbox of the caller's account (an agent: of his own inboxes), in
    the order they joined."""
    await access.require_inbox_member(session, caller, inbox_id)
    rows, next_cursor = await memberships.list_inbox_members(
        session, account_id=caller.account_id, inbox_id=inbox_id, cursor=cursor, limit=limit
    )
    return InboxMemberList(
        items=[InboxMemberDetail.of(member, agent) for member, agent in rows],
        next_cursor=next_cursor,
    )


@router.put(
    "/{inbox_id}/routing",
    response_model=InboxRoutingRead,
    responses=refusals(InboxNotFound, TeamNotFound, InvalidStrategy, ChatUnavailable),
)
async def set_inbox_routing(
    inbox_id: UUID,
    body: InboxRoutingUpdate,
    admin: AdminDep,
    runtime: RuntimeDep,
    chat: ChatDep,
    request: Request,
) -> InboxRoutingRead:
    """How the inbox routes: strategy, team, response timer (admins only)."""
    inbox_name = None
    if not await memberships.inbox_known(runtime, account_id=admin.account_id, inbox_id=inbox_id):
        inbox_name = await fetch_inbox_name(
            chat, inbox_id=inbox_id, authorization=request.headers["authorization"]
        )
    inbox = await inbox_routing.set_inbox_routing(
        runtime,
        account_id=admin.account_id,
        inbox_id=inbox_id,
        strategy=body.strategy,
        team_id=body.team_id,
        response_timeout_seconds=body.response_timeout_seconds,
        inbox_name=inbox_name,
    )
    return InboxRoutingRead.of(inbox)


@router.get(
    "/{inbox_id}/routing",
    response_model=InboxRoutingRead,
    responses=refusals(InboxNotFound),
)
async def get_inbox_routing(
    inbox_id: UUID, caller: AgentDep, session: SessionDep
) -> InboxRoutingRead:
    """How the inbox routes (an agent: his own inboxes)."""
    await access.require_inbox_member(session, caller, inbox_id)
    inbox = await inbox_routing.get_inbox_routing(
        session, account_id=caller.account_id, inbox_id=inbox_id
    )
    return InboxRoutingRead.of(inbox)
