from uuid import UUID

from fastapi import APIRouter

from switchboard.chat.api.deps import OriginDep
from switchboard.chat.api.schemas import InboxCreate, InboxRead
from switchboard.chat.errors import InboxNotFound
from switchboard.chat.service import inboxes as service
from switchboard.core.auth import AdminDep, AgentDep
from switchboard.core.pagination import Page, PageDep
from switchboard.core.routes import answers, creates, lists
from switchboard.core.runtime import DatabaseRuntimeDep

router = APIRouter(prefix="/v1/inboxes", tags=["inboxes"])


@router.post("", **creates(InboxRead))
async def create_inbox(
    body: InboxCreate, admin: AdminDep, runtime: DatabaseRuntimeDep, origin: OriginDep
) -> InboxRead:
    """Create an inbox and its widget token (admins)."""
    inbox = await service.create_inbox(
        runtime,
        account_id=admin.account_id,
        name=body.name,
        attachment_max_bytes=body.attachment_max_bytes,
        origin=origin,
    )
    return InboxRead.model_validate(inbox)


@router.get("", **lists(InboxRead))
async def list_inboxes(
    agent: AgentDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> Page[InboxRead]:
    """The account's inboxes (an agent's: those he is a member of), newest first."""
    inboxes = await service.list_inboxes(runtime, caller=agent, page=page)
    return Page.of_rows(inboxes, InboxRead.model_validate)


@router.get("/{inbox_id}", **answers(InboxRead, InboxNotFound))
async def get_inbox(inbox_id: UUID, agent: AgentDep, runtime: DatabaseRuntimeDep) -> InboxRead:
    """One inbox of the account (an agent's: one he is a member of)."""
    inbox = await service.get_inbox(runtime, caller=agent, inbox_id=inbox_id)
    return InboxRead.model_validate(inbox)
