"""Who may see a conversation's floor state (participants, transfers) and an inbox's
setup: the rule of ``switchboard.core.access`` on routing's own tables."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.core.access import Access, conversation_access
from switchboard.core.auth import Principal, Role
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.directory.store import access as store
from switchboard.routing.directory.store import inboxes as inbox_store
from switchboard.routing.errors import ConversationNotFound, InboxNotFound


async def require_reader(session: AsyncSession, caller: Principal, conversation_id: UUID) -> None:
    """404 unless the caller may see the conversation."""
    if caller.at_least(Role.supervisor):
        return
    relation = await store.relation(session, caller.account_id, conversation_id, caller.id)
    if relation is None or conversation_access(caller, relation) < Access.read:
        raise ConversationNotFound()


async def require_reader_in(
    runtime: DatabaseRuntime, caller: Principal, conversation_id: UUID
) -> None:
    """``require_reader`` in a short session of its own."""
    if caller.at_least(Role.supervisor):
        return
    async with runtime.db.session() as session:
        await require_reader(session, caller, conversation_id)


async def require_inbox_member(session: AsyncSession, caller: Principal, inbox_id: UUID) -> None:
    """404 unless the caller is a member of the inbox (supervisors and admins see all)."""
    if caller.at_least(Role.supervisor):
        return
    if not await inbox_store.is_member(session, inbox_id, caller.id):
        raise InboxNotFound()
