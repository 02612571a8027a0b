from uuid import UUID

from fastapi import APIRouter, Request, Response

from switchboard.core.auth import AdminDep, AgentDep, Principal
from switchboard.core.pagination import Page, PageDep
from switchboard.core.routes import answers, creates, done, lists, removes
from switchboard.core.runtime import DatabaseRuntime, DatabaseRuntimeDep
from switchboard.routing.api.deps import ChatDep
from switchboard.routing.directory.api.schemas import (
    InboxMemberCreate,
    InboxMemberDetail,
    InboxMemberRead,
    InboxRoutingRead,
    InboxRoutingUpdate,
)
from switchboard.routing.directory.service import inbox_routing, memberships
from switchboard.routing.directory.service.chat import Chat, fetch_inbox_name
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


async def _name_unless_known(
    runtime: DatabaseRuntime, chat: Chat, request: Request, admin: Principal, inbox_id: UUID
) -> str | None:
    """The inbox's name from chat when routing has not heard of the inbox yet (chat's
    ``inbox.created`` may still be on its way), asked as the caller; None when it has."""
    if await memberships.inbox_known(runtime, account_id=admin.account_id, inbox_id=inbox_id):
        return None
    return await fetch_inbox_name(
        chat, inbox_id=inbox_id, authorization=request.headers["authorization"]
    )


@router.post(
    "/{inbox_id}/members",
    **creates(InboxMemberRead, InboxNotFound, AgentNotFound, AlreadyMember, ChatUnavailable),
)
async def add_inbox_member(
    inbox_id: UUID,
    body: InboxMemberCreate,
    admin: AdminDep,
    runtime: DatabaseRuntimeDep,
    chat: ChatDep,
    request: Request,
) -> InboxMemberRead:
    """Make an agent a member of an inbox, so it can be assigned the inbox's conversations."""
    inbox_name = await _name_unless_known(runtime, chat, request, admin, inbox_id)
    membership = await memberships.add_inbox_member(
        runtime,
        account_id=admin.account_id,
        inbox_id=inbox_id,
        agent_id=body.agent_id,
        inbox_name=inbox_name,
    )
    return InboxMemberRead(inbox_id=membership.inbox_id, agent_id=membership.agent_id)


@router.delete("/{inbox_id}/members/{agent_id}", **removes(InboxNotFound, MemberNotFound))
async def remove_inbox_member(
    inbox_id: UUID, agent_id: UUID, admin: AdminDep, runtime: DatabaseRuntimeDep
) -> Response:
    """Remove an agent from an inbox: he gets none of its new conversations and no longer
    sees those he is not assigned to or taking part in."""
    await memberships.remove_inbox_member(
        runtime, account_id=admin.account_id, inbox_id=inbox_id, agent_id=agent_id
    )
    return done()


@router.get("/{inbox_id}/members", **lists(InboxMemberDetail, InboxNotFound))
async def list_inbox_members(
    inbox_id: UUID, caller: AgentDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> Page[InboxMemberDetail]:
    """The members of an inbox of the caller's account (an agent: of his own inboxes), in
    the order they joined."""
    members = await memberships.list_inbox_members(
        runtime, caller=caller, inbox_id=inbox_id, page=page
    )
    return Page.of_rows(members, lambda row: InboxMemberDetail.of(*row))


@router.put(
    "/{inbox_id}/routing",
    **answers(InboxRoutingRead, InboxNotFound, TeamNotFound, InvalidStrategy, ChatUnavailable),
)
async def set_inbox_routing(
    inbox_id: UUID,
    body: InboxRoutingUpdate,
    admin: AdminDep,
    runtime: DatabaseRuntimeDep,
    chat: ChatDep,
    request: Request,
) -> InboxRoutingRead:
    """How the inbox routes: strategy, team, response timer (admins only)."""
    inbox_name = await _name_unless_known(runtime, chat, request, admin, inbox_id)
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


@router.get("/{inbox_id}/routing", **answers(InboxRoutingRead, InboxNotFound))
async def get_inbox_routing(
    inbox_id: UUID, caller: AgentDep, runtime: DatabaseRuntimeDep
) -> InboxRoutingRead:
    """How the inbox routes (an agent: his own inboxes)."""
    inbox = await inbox_routing.get_inbox_routing(runtime, caller=caller, inbox_id=inbox_id)
    return InboxRoutingRead.of(inbox)
