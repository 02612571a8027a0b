from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from switchboard.contracts.text import Text
from switchboard.core.auth import AgentDep
from switchboard.core.pagination import Page, PageDep
from switchboard.core.routes import answers, lists
from switchboard.core.runtime import DatabaseRuntimeDep
from switchboard.tickets.api.schemas import ContactRead
from switchboard.tickets.errors import ContactNotFound
from switchboard.tickets.service import contacts

router = APIRouter(prefix="/v1/contacts", tags=["contacts"])


@router.get("", **lists(ContactRead))
async def list_contacts(
    agent: AgentDep,
    runtime: DatabaseRuntimeDep,
    page: PageDep,
    q: Annotated[Text | None, Query(max_length=200)] = None,
) -> Page[ContactRead]:
    """Contacts of the caller's account, newest first; `q` searches name, email and phone."""
    listed = await contacts.list_contacts(runtime, account_id=agent.account_id, page=page, query=q)
    return Page.of_rows(listed, ContactRead.model_validate)


@router.get("/{contact_id}", **answers(ContactRead, ContactNotFound))
async def get_contact(
    agent: AgentDep, runtime: DatabaseRuntimeDep, contact_id: UUID
) -> ContactRead:
    """One contact of the caller's account."""
    contact = await contacts.get_contact(
        runtime, account_id=agent.account_id, contact_id=contact_id
    )
    return ContactRead.model_validate(contact)
