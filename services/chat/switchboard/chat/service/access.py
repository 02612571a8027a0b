"""Who may see and write a conversation, asked before every agent's read and write.

The rule is ``switchboard.core.access``; its facts are chat's projections of routing's inbox
memberships, participants and invitations (kept by the consumed events), so no call to
routing is made per request. A conversation an agent may not see is answered like one that
does not exist.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store import access as store
from switchboard.core.access import Access, conversation_access
from switchboard.core.auth import Principal, Role
from switchboard.core.errors import Forbidden, NotFound
from switchboard.core.events import Envelope
from switchboard.core.outbox import first_delivery
from switchboard.core.runtime import Runtime


def not_found() -> NotFound:
    return NotFound("no such conversation", code="conversation_not_found")


async def require(
    session: AsyncSession, caller: Principal, conversation_id: UUID, need: Access
) -> None:
    """Refuse unless the caller (an agent) may ``need`` the conversation: 404 when he may not
    see it, 403 ``read_only`` when he may only read it (monitoring, or invited)."""
    if caller.at_least(Role.supervisor):
        return  # the whole account: the use case itself answers 404 for another account's
    relation = await store.relation(session, caller.account_id, conversation_id, caller.id)
    if relation is None:
        raise not_found()
    granted = conversation_access(caller, relation)
    if granted is Access.none:
        raise not_found()
    if granted < need:
        raise Forbidden(
            "you can read this conversation but not write to it: join it first",
            code="read_only",
        )


async def require_in(
    runtime: Runtime, caller: Principal, conversation_id: UUID, need: Access
) -> None:
    """``require`` in a short session of its own."""
    if caller.at_least(Role.supervisor):
        return
    async with runtime.database.session() as session:
        await require(session, caller, conversation_id, need)


async def record_membership(runtime: Runtime, event: Envelope, *, added: bool) -> None:
    """Project routing's ``inbox.member_added`` / ``inbox.member_removed`` (once per event)."""
    assert runtime.processed is not None
    account_id = UUID(event.account_id)
    inbox_id, agent_id = UUID(event.data["inbox_id"]), UUID(event.data["agent_id"])
    async with runtime.unit_of_work() as session:
        if not await first_delivery(session, runtime.processed, event.id):
            return
        if added:
            await store.put_member(session, account_id, inbox_id, agent_id)
        else:
            await store.remove_member(session, account_id, inbox_id, agent_id)


async def record_invitation(runtime: Runtime, event: Envelope, *, pending: bool) -> None:
    """Project routing's ``invitation.created`` (pending) and its answers (no longer)."""
    assert runtime.processed is not None
    account_id = UUID(event.account_id)
    conversation_id, agent_id = UUID(event.data["conversation_id"]), UUID(event.data["agent_id"])
    async with runtime.unit_of_work() as session:
        if not await first_delivery(session, runtime.processed, event.id):
            return
        if pending:
            await store.put_invitation(session, account_id, conversation_id, agent_id)
        else:
            await store.remove_invitation(session, account_id, conversation_id, agent_id)
