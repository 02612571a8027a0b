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
from switchboard.chat.notifications.service import floor as floor_notifications
from switchboard.chat.store import access as store
from switchboard.chat.store import conversations as conversation_store
from switchboard.chat.store.conversations import ConversationView
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


async def conversation_view(
    session: AsyncSession,
    account_id: UUID,
    conversation_id: UUID,
    *,
    visitor_id: UUID | None = None,
) -> ConversationView:
    """The conversation of the account (and of ``visitor_id``, when given), else 404: another
    account's, or another visitor's, is answered like one that does not exist."""
    view = await conversation_store.get_view(
        session, account_id, conversation_id, visitor_id=visitor_id
    )
    if view is None:
        raise ConversationNotFound()
    return view


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
        await store.set_member(
            work.session,
            event.account_id,
            membership.inbox_id,
            membership.agent_id,
            member=isinstance(membership, InboxMemberAdded),
        )


async def record_invitation(
    runtime: DatabaseRuntime,
    event: Delivery[InvitationCreated | InvitationAccepted | InvitationDeclined],
) -> None:
    """Project routing's ``invitation.created`` (pending) and its answers (no longer)."""
    invitation = event.data
    conversation_id, agent_id = invitation.conversation_id, invitation.agent_id
    async with runtime.work(handling=event) as work:
        await store.set_invitation(
            work.session,
            event.account_id,
            conversation_id,
            agent_id,
            pending=isinstance(invitation, InvitationCreated),
        )
        if isinstance(invitation, InvitationCreated):
            await floor_notifications.invited(work, event.account_id, invitation)
