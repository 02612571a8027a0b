from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from switchboard.core.auth import AgentDep
from switchboard.core.openapi import refusals
from switchboard.core.pagination import CursorQuery, LimitQuery
from switchboard.core.runtime import SessionDep
from switchboard.core.text import Text
from switchboard.tickets.api.schemas import ContactList, ContactRead
from switchboard.tickets.errors import ContactNotFound
from switchboard.tickets.service import contacts

router = APIRouter(prefix="/v1/contacts", tags=["contacts"])


@router.get("", response_model=ContactList)
async def list_contacts(
    agent: AgentDep,
    session: SessionDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
    q: Annotated[Text | None, Query(max_length=200)] = None,
) -> ContactList:
    """Contacts of the caller's account, newest first; `q` searches name, email and phone."""
    items, next_cursor = await contacts.list_contacts(
        session, account_id=agent.account_id, cursor=cursor, limit=limit, query=q
    )
    return ContactList(
        items=[ContactRead.model_validate(row) for row in items], next_cursor=next_cursor
    )


@router.get("/{contact_id}", response_model=ContactRead, responses=refusals(ContactNotFound))
async def get_contact(agent: AgentDep, session: SessionDep, contact_id: UUID) -> ContactRead:
    """One contact of the caller's account."""
    contact = await contacts.get_contact(
        session, account_id=agent.account_id, contact_id=contact_id
    )
    return ContactRead.model_validate(contact)
