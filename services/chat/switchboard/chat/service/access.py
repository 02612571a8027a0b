"""Who may see and write a conversation, asked before every agent's read and write.

The rule is ``switchboard.core.access``; its facts are chat's projections of routing's inbox
memberships, participants and invitations (kept by the consumed events), so no call to
routing is made per request. A conversation an agent may not see is answered like one that
does not exist.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.errors import ConversationNotFound, ReadOnly
from switchboard.chat.store import access as store
from switchboard.contracts.routing import (
    InboxMemberAdded,
    InboxMemberRemoved,
    InvitationAccepted,
    InvitationCreated,
    InvitationDeclined,
)
from switchboard.core.access import Access, conversation_access
from switchboard.core.auth import Principal, Role
from switchboard.core.events import Delivery
from switchboard.core.runtime import DatabaseRuntime


async def require(
    session: AsyncSession, caller: Principal, conversation_id: UUID, need: Access
) -> None:
    """Refuse unless the caller (an agent) may ``need`` the conversation: 404 when he may not
    see it, 403 ``read_only`` when he may only read it (monitoring, or invited)."""
    if caller.at_least(Role.supervisor):
        return  # the whole account: the use case itself answers 404 for another account's
    relation = await store.relation(session, caller.account_id, conversation_id, caller.id)
    if relation is None:
        raise ConversationNotFound()
    granted = conversation_access(caller, relation)
    if granted is Access.none:
        raise ConversationNotFound()
    if granted < need:
        raise ReadOnly()


async def require_in(
    runtime: DatabaseRuntime, caller: Principal, conversation_id: UUID, need: Access
) -> None:
    """``require`` in a short session of its own."""
    if caller.at_least(Role.supervisor):
        return
    async with runtime.db.session() as session:
        await require(session, caller, conversation_id, need)


async def record_membership(
    runtime: DatabaseRuntime, event: Delivery[InboxMemberAdded | InboxMemberRemoved]
) -> None:
    """Project routing's ``inbox.member_added`` / ``inbox.member_removed``."""
    membership = event.data
    async with runtime.work(handling=event) as work:
        session = work.session
        if isinstance(membership, InboxMemberAdded):
            await store.put_member(
                session, event.account_id, membership.inbox_id, membership.agent_id
            )
        else:
            await store.remove_member(
                session, event.account_id, membership.inbox_id, membership.agent_id
            )


async def record_invitation(
    runtime: DatabaseRuntime,
    event: Delivery[InvitationCreated | InvitationAccepted | InvitationDeclined],
) -> None:
    """Project routing's ``invitation.created`` (pending) and its answers (no longer)."""
    invitation = event.data
    conversation_id, agent_id = invitation.conversation_id, invitation.agent_id
    async with runtime.work(handling=event) as work:
        session = work.session
        if isinstance(invitation, InvitationCreated):
            await store.put_invitation(session, event.account_id, conversation_id, agent_id)
        else:
            await store.remove_invitation(session, event.account_id, conversation_id, agent_id)
