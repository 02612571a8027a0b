"""The notifications routing's events make: a conversation assigned to an agent, a transfer
asked of him, an invitation. Each runs inside the transaction that handles the event, so a
redelivered event makes none twice."""

from __future__ import annotations

from uuid import UUID

from switchboard.chat.notifications.domain.kinds import NotificationKind, assignment_notifies
from switchboard.chat.notifications.service.notifications import notify
from switchboard.chat.store.models import Conversation
from switchboard.contracts.routing import AssignmentCreated, InvitationCreated, TransferRequested
from switchboard.core.work import UnitOfWork


async def assigned(work: UnitOfWork, account_id: UUID, assignment: AssignmentCreated) -> None:
    """The new assignee hears of it, unless he took the conversation himself (an offer or a
    transfer he accepted, or assigning himself)."""
    if not assignment_notifies(assignment.reason) or assignment.by_agent_id == assignment.agent_id:
        return
    await notify(
        work,
        account_id=account_id,
        agent_id=assignment.agent_id,
        kind=NotificationKind.assigned,
        conversation_id=assignment.conversation_id,
        actor_id=assignment.by_agent_id,
    )


async def transfer_asked(work: UnitOfWork, account_id: UUID, transfer: TransferRequested) -> None:
    """Every agent the transfer asks (its target, or the team's members asked)."""
    asked = list(transfer.target_ids)
    if not asked and transfer.to_agent_id is not None:
        asked = [transfer.to_agent_id]  # from a routing that did not name them yet
    for agent_id in dict.fromkeys(asked):
        if agent_id == transfer.from_agent_id:
            continue
        await notify(
            work,
            account_id=account_id,
            agent_id=agent_id,
            kind=NotificationKind.transfer,
            conversation_id=transfer.conversation_id,
            actor_id=transfer.from_agent_id,
        )


async def invited(work: UnitOfWork, account_id: UUID, invitation: InvitationCreated) -> None:
    """The invitee, when chat has the conversation."""
    conversation = await work.session.get(Conversation, invitation.conversation_id)
    if conversation is None or conversation.account_id != account_id:
        return
    await notify(
        work,
        account_id=account_id,
        agent_id=invitation.agent_id,
        kind=NotificationKind.invitation,
        conversation_id=invitation.conversation_id,
        actor_id=invitation.from_agent_id,
    )
