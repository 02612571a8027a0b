from uuid import UUID

from fastapi import APIRouter

from switchboard.core.auth import AgentDep, SupervisorDep
from switchboard.core.pagination import Page, PageDep
from switchboard.core.routes import answers, lists
from switchboard.core.runtime import DatabaseRuntimeDep
from switchboard.routing.api.deps import ReaderDep
from switchboard.routing.assignment.api.schemas import (
    AssignmentCreate,
    AssignmentRead,
    OfferRead,
    QueueItemRead,
    QueuePriorityUpdate,
)
from switchboard.routing.assignment.service import manual, offers
from switchboard.routing.assignment.service import queue as queue_view
from switchboard.routing.errors import (
    AgentNotFound,
    AlreadyAssigned,
    AssignmentTargetRequired,
    AtCapacity,
    ConversationClosed,
    ConversationNotFound,
    FromQueueOnly,
    NotAMember,
    NotOffered,
    NotQueued,
    OfferExpired,
    OfferNotFound,
    OfferTaken,
    OverrideNotAllowed,
    TeamNotFound,
)

router = APIRouter(prefix="/v1", tags=["queue"])


@router.get("/queue", **lists(QueueItemRead))
async def list_queue(
    caller: AgentDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> Page[QueueItemRead]:
    """Waiting conversations the caller may take, highest priority then longest waiting first."""
    return Page.of_rows(
        await queue_view.list_queue(runtime, caller=caller, page=page), QueueItemRead.of
    )


@router.patch("/queue/{conversation_id}", **answers(QueueItemRead, NotQueued))
async def update_queue_priority(
    conversation_id: UUID,
    body: QueuePriorityUpdate,
    supervisor: SupervisorDep,
    runtime: DatabaseRuntimeDep,
) -> QueueItemRead:
    """Set a waiting conversation's priority (supervisors and admins): the conversation's own
    priority, which chat keeps (the same as chat's PUT /v1/conversations/{id}/priority), so it
    stays after the wait; the queue moves at once."""
    item = await queue_view.set_priority(
        runtime,
        supervisor=supervisor,
        conversation_id=conversation_id,
        priority=body.priority,
    )
    return QueueItemRead.of(item)


@router.post(
    "/conversations/{conversation_id}/assignment",
    **answers(
        AssignmentRead,
        OverrideNotAllowed,
        ConversationNotFound,
        AgentNotFound,
        TeamNotFound,
        ConversationClosed,
        FromQueueOnly,
        AlreadyAssigned,
        NotAMember,
        AtCapacity,
        AssignmentTargetRequired,
    ),
)
async def assign_conversation(
    conversation_id: UUID, body: AssignmentCreate, caller: ReaderDep, runtime: DatabaseRuntimeDep
) -> AssignmentRead:
    """Assign a conversation by hand: agents take from the queue, supervisors assign members."""
    made = await manual.assign_conversation(
        runtime,
        caller=caller,
        conversation_id=conversation_id,
        agent_id=body.agent_id,
        team_id=body.team_id,
        override_capacity=body.override_capacity,
    )
    return AssignmentRead.of(made)


@router.post(
    "/offers/{offer_id}/accept",
    **answers(OfferRead, NotOffered, OfferNotFound, OfferTaken, OfferExpired, AtCapacity),
)
async def accept_offer(offer_id: UUID, caller: AgentDep, runtime: DatabaseRuntimeDep) -> OfferRead:
    """Claim a broadcast offer: the first accept wins; later ones get 409 offer_taken."""
    offer = await offers.accept_offer(
        runtime, account_id=caller.account_id, agent_id=caller.id, offer_id=offer_id
    )
    return OfferRead.of(offer)
