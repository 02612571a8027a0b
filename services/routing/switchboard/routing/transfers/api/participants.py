from uuid import UUID

from fastapi import APIRouter, Response

from switchboard.core.auth import AgentDep, SupervisorDep
from switchboard.core.pagination import PageDep
from switchboard.core.routes import answers, creates, done, removes
from switchboard.core.runtime import DatabaseRuntimeDep
from switchboard.routing.api.deps import ReaderDep
from switchboard.routing.errors import (
    AgentNotFound,
    AlreadyInvited,
    AlreadyParticipant,
    AssigneeCannotLeave,
    ConversationNotFound,
    InvitationNotFound,
    InvitationNotPending,
    InviterNotAParticipant,
    NotAParticipant,
    NotInvitee,
    NotMonitoring,
)
from switchboard.routing.transfers.api.schemas import (
    InvitationCreate,
    InvitationRead,
    ParticipantList,
    ParticipantRead,
)
from switchboard.routing.transfers.service import participants

router = APIRouter(prefix="/v1", tags=["participants"])


@router.post(
    "/conversations/{conversation_id}/invitations",
    **creates(
        InvitationRead,
        InviterNotAParticipant,
        ConversationNotFound,
        AgentNotFound,
        AlreadyParticipant,
        AlreadyInvited,
    ),
)
async def invite_participant(
    conversation_id: UUID, body: InvitationCreate, caller: ReaderDep, runtime: DatabaseRuntimeDep
) -> InvitationRead:
    """Invite another agent to help (the assignee or a participant)."""
    invitation = await participants.invite(
        runtime,
        account_id=caller.account_id,
        inviter_id=caller.id,
        conversation_id=conversation_id,
        agent_id=body.agent_id,
    )
    return InvitationRead.of(invitation)


def _answer_route(answer: str, *, accept: bool, summary: str) -> None:
    """``POST /invitations/{id}/accept`` and ``/decline``: one route, two answers."""

    async def answer_invitation(
        invitation_id: UUID, caller: AgentDep, runtime: DatabaseRuntimeDep
    ) -> InvitationRead:
        invitation = await participants.answer_invitation(
            runtime,
            account_id=caller.account_id,
            agent_id=caller.id,
            invitation_id=invitation_id,
            accept=accept,
        )
        return InvitationRead.of(invitation)

    router.post(
        f"/invitations/{{invitation_id}}/{answer}",
        **answers(InvitationRead, NotInvitee, InvitationNotFound, InvitationNotPending),
        name=f"{answer}_invitation",
        description=summary,
    )(answer_invitation)


_answer_route(
    "accept", accept=True, summary="Join the conversation as a participant (the invitee only)."
)
_answer_route("decline", accept=False, summary="Decline an invitation (the invitee only).")


@router.post(
    "/conversations/{conversation_id}/leave",
    **removes(ConversationNotFound, AssigneeCannotLeave, NotAParticipant),
)
async def leave_conversation(
    conversation_id: UUID, caller: ReaderDep, runtime: DatabaseRuntimeDep
) -> Response:
    """Leave a conversation (anyone in it but the assignee)."""
    await participants.leave(
        runtime, account_id=caller.account_id, agent_id=caller.id, conversation_id=conversation_id
    )
    return done()


@router.post(
    "/conversations/{conversation_id}/monitor",
    **creates(ParticipantRead, ConversationNotFound, AlreadyParticipant),
)
async def start_monitoring(
    conversation_id: UUID, supervisor: SupervisorDep, runtime: DatabaseRuntimeDep
) -> ParticipantRead:
    """Join a conversation silently to monitor it (supervisors and admins)."""
    await participants.monitor(
        runtime,
        account_id=supervisor.account_id,
        agent_id=supervisor.id,
        conversation_id=conversation_id,
    )
    return ParticipantRead(conversation_id=conversation_id, agent_id=supervisor.id, kind="monitor")


@router.delete(
    "/conversations/{conversation_id}/monitor", **removes(ConversationNotFound, NotMonitoring)
)
async def stop_monitoring(
    conversation_id: UUID, supervisor: SupervisorDep, runtime: DatabaseRuntimeDep
) -> Response:
    """Stop monitoring a conversation."""
    await participants.stop_monitoring(
        runtime,
        account_id=supervisor.account_id,
        agent_id=supervisor.id,
        conversation_id=conversation_id,
    )
    return done()


@router.get(
    "/conversations/{conversation_id}/participants",
    **answers(ParticipantList, ConversationNotFound),
)
async def list_participants(
    conversation_id: UUID, caller: ReaderDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> ParticipantList:
    """The conversation's assignee, participants and monitors."""
    assignee, rows, next_cursor = await participants.list_participants(
        runtime, account_id=caller.account_id, conversation_id=conversation_id, page=page
    )
    return ParticipantList(
        assignee_id=assignee,
        items=[ParticipantRead.of(row) for row in rows],
        next_cursor=next_cursor,
    )
