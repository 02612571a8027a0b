"""Participants: invited helpers (who see and write) and silent monitors."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from uuid6 import uuid7

from switchboard.contracts.routing import (
    InvitationAccepted,
    InvitationCreated,
    InvitationDeclined,
    ParticipantAdded,
    ParticipantRemoved,
)
from switchboard.core.events import utcnow
from switchboard.core.pagination import PageQuery
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.directory.store import agents as agent_store
from switchboard.routing.errors import (
    AgentNotFound,
    ConversationNotFound,
    InvitationNotFound,
    InvitationNotPending,
    NotInvitee,
    found,
    refused,
)
from switchboard.routing.service import events
from switchboard.routing.service.work import Work, routing_work
from switchboard.routing.store import conversations
from switchboard.routing.store.models import Invitation, Participant
from switchboard.routing.transfers.domain.participants import (
    InvitationStatus,
    ParticipantKind,
    ParticipantRefusal,
    invite_refusal,
    leave_refusal,
    monitor_refusal,
    stop_monitoring_refusal,
)
from switchboard.routing.transfers.store import participants as participant_store


async def _present(
    work: Work, conversation_id: UUID
) -> tuple[UUID | None, dict[UUID, ParticipantKind]]:
    """The conversation's assignee and participants, with its routing row locked."""
    session = work.session
    if await conversations.lock(session, work.account_id, conversation_id) is None:
        raise ConversationNotFound()
    present = await participant_store.participants(session, conversation_id)
    assignee = await conversations.assignee_of(session, conversation_id)
    return assignee, {agent: ParticipantKind(kind) for agent, kind in present.items()}


async def _added(work: Work, conversation_id: UUID, agent_id: UUID, kind: ParticipantKind) -> None:
    assignee = await conversations.assignee_of(work.session, conversation_id)
    await participant_store.add_participant(
        work.session,
        account_id=work.account_id,
        conversation_id=conversation_id,
        agent_id=agent_id,
        kind=kind.value,
        at=utcnow(),
    )
    await _announce(work, ParticipantAdded, conversation_id, agent_id, kind.value, assignee)


async def _announce(
    work: Work,
    news: type[ParticipantAdded | ParticipantRemoved],
    conversation_id: UUID,
    agent_id: UUID,
    kind: str,
    assignee: UUID | None,
) -> None:
    await work.publish(
        events.participant_event(
            news,
            account_id=work.account_id,
            conversation_id=conversation_id,
            agent_id=agent_id,
            kind=kind,
            assignee_id=assignee,
        )
    )


async def invite(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    inviter_id: UUID,
    conversation_id: UUID,
    agent_id: UUID,
) -> Invitation:
    """The assignee (or a participant) invites another agent of the account to help."""
    async with routing_work(runtime, account_id) as work:
        assignee, present = await _present(work, conversation_id)
        found(await agent_store.get(work.session, account_id, agent_id), AgentNotFound)
        pending = await participant_store.pending_invitation(
            work.session, conversation_id, agent_id
        )
        refusal = invite_refusal(
            inviter_id=inviter_id,
            invitee_id=agent_id,
            assignee_id=assignee,
            present=present,
            already_invited=pending is not None,
        )
        if refusal is not None:
            raise refused(refusal)
        invitation = Invitation(
            id=uuid7(),
            account_id=account_id,
            conversation_id=conversation_id,
            from_agent_id=inviter_id,
            agent_id=agent_id,
            status=InvitationStatus.pending.value,
            created_at=utcnow(),
        )
        work.session.add(invitation)
        await work.session.flush()
        await work.publish(events.invitation_event(InvitationCreated, invitation))
    return invitation


async def answer_invitation(
    runtime: DatabaseRuntime, *, account_id: UUID, agent_id: UUID, invitation_id: UUID, accept: bool
) -> Invitation:
    """The invitee accepts (and joins as a participant) or declines."""
    async with routing_work(runtime, account_id) as work:
        session = work.session
        invitation = found(
            await participant_store.get_invitation(session, account_id, invitation_id),
            InvitationNotFound,
        )
        if invitation.agent_id != agent_id:
            raise NotInvitee()
        _, present = await _present(work, invitation.conversation_id)
        await participant_store.lock_invitation(session, account_id, invitation_id)
        await session.refresh(invitation)
        if invitation.status != InvitationStatus.pending:
            raise InvitationNotPending()
        invitation.decided_at = utcnow()
        if not accept:
            invitation.status = InvitationStatus.declined.value
            await work.publish(events.invitation_event(InvitationDeclined, invitation))
            return invitation
        invitation.status = InvitationStatus.accepted.value
        await work.publish(events.invitation_event(InvitationAccepted, invitation))
        if agent_id not in present:
            await _added(work, invitation.conversation_id, agent_id, ParticipantKind.participant)
    return invitation


PresenceRule = Callable[..., ParticipantRefusal | None]


async def _join_or_leave(
    runtime: DatabaseRuntime,
    account_id: UUID,
    agent_id: UUID,
    conversation_id: UUID,
    rule: PresenceRule,
    joining: ParticipantKind | None,
) -> str:
    """The agent joins the conversation as ``joining`` (None: leaves it) if ``rule`` allows;
    the kind he joined as or had."""
    async with routing_work(runtime, account_id) as work:
        assignee, present = await _present(work, conversation_id)
        refusal = rule(agent_id=agent_id, assignee_id=assignee, present=present)
        if refusal is not None:
            raise refused(refusal)
        if joining is not None:
            await _added(work, conversation_id, agent_id, joining)
            return joining.value
        kind = await participant_store.remove_participant(work.session, conversation_id, agent_id)
        assert kind is not None
        await _announce(work, ParticipantRemoved, conversation_id, agent_id, kind, assignee)
        return kind


async def leave(
    runtime: DatabaseRuntime, *, account_id: UUID, agent_id: UUID, conversation_id: UUID
) -> str:
    """Anyone in the conversation but its assignee leaves; the kind it had."""
    return await _join_or_leave(
        runtime, account_id, agent_id, conversation_id, leave_refusal, joining=None
    )


async def monitor(
    runtime: DatabaseRuntime, *, account_id: UUID, agent_id: UUID, conversation_id: UUID
) -> None:
    """A supervisor or admin joins silently (the visitor is never told)."""
    await _join_or_leave(
        runtime, account_id, agent_id, conversation_id, monitor_refusal, ParticipantKind.monitor
    )


async def stop_monitoring(
    runtime: DatabaseRuntime, *, account_id: UUID, agent_id: UUID, conversation_id: UUID
) -> None:
    await _join_or_leave(
        runtime, account_id, agent_id, conversation_id, stop_monitoring_refusal, joining=None
    )


async def list_participants(
    runtime: DatabaseRuntime, *, account_id: UUID, conversation_id: UUID, page: PageQuery
) -> tuple[UUID | None, list[Participant], str | None]:
    """The conversation's assignee, and its participants and monitors in the order they
    joined."""
    async with runtime.db.session() as session:
        found(await conversations.get(session, account_id, conversation_id), ConversationNotFound)
        rows, next_cursor = await participant_store.page(session, conversation_id, page)
        assignee = await conversations.assignee_of(session, conversation_id)
    return assignee, rows, next_cursor
