from uuid import UUID

from fastapi import APIRouter, status

from switchboard.chat.api.deps import OriginDep
from switchboard.chat.api.schemas import InboxCreate, InboxPage, InboxRead
from switchboard.chat.errors import InboxNotFound
from switchboard.chat.service import inboxes as service
from switchboard.core.auth import AdminDep, AgentDep
from switchboard.core.openapi import refusals
from switchboard.core.pagination import CursorQuery, LimitQuery
from switchboard.core.runtime import DatabaseRuntimeDep

router = APIRouter(prefix="/v1/inboxes", tags=["inboxes"])


@router.post("", response_model=InboxRead, status_code=status.HTTP_201_CREATED)
async def create_inbox(
    body: InboxCreate, admin: AdminDep, runtime: DatabaseRuntimeDep, origin: OriginDep
) -> InboxRead:
    """Create an inbox and its widget token (admins)."""
    inbox = await service.create_inbox(
        runtime, account_id=admin.account_id, name=body.name, origin=origin
    )
    return InboxRead.of(inbox)


@router.get("", response_model=InboxPage)
async def list_inboxes(
    agent: AgentDep, runtime: DatabaseRuntimeDep, cursor: CursorQuery = None, limit: LimitQuery = 50
) -> InboxPage:
    """The account's inboxes (an agent's: those he is a member of), newest first."""
    inboxes, next_cursor = await service.list_inboxes(
        runtime, caller=agent, cursor=cursor, limit=limit
    )
    return InboxPage(items=[InboxRead.of(inbox) for inbox in inboxes], next_cursor=next_cursor)


@router.get("/{inbox_id}", response_model=InboxRead, responses=refusals(InboxNotFound))
async def get_inbox(inbox_id: UUID, agent: AgentDep, runtime: DatabaseRuntimeDep) -> InboxRead:
    """One inbox of the account (an agent's: one he is a member of)."""
    inbox = await service.get_inbox(runtime, caller=agent, inbox_id=inbox_id)
    return InboxRead.of(inbox)
