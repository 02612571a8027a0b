from uuid import UUID

from fastapi import APIRouter

from switchboard.core.auth import AgentDep
from switchboard.core.pagination import Page, PageDep
from switchboard.core.routes import answers, creates, lists
from switchboard.core.runtime import DatabaseRuntimeDep
from switchboard.routing.api.deps import ReaderDep
from switchboard.routing.errors import (
    AgentNotFound,
    AgentOffline,
    AtCapacity,
    ConversationClosed,
    ConversationNotFound,
    InvalidTransferTarget,
    NotAssignee,
    NotTransferTarget,
    TeamNotFound,
    TransferExpired,
    TransferNotAllowed,
    TransferNotFound,
    TransferNotPending,
    TransferPending,
    TransferToSelf,
)
from switchboard.routing.transfers.api.schemas import (
    TransferAllCreate,
    TransferCreate,
    TransferRead,
    TransferReject,
)
from switchboard.routing.transfers.service import answers as transfer_answers
from switchboard.routing.transfers.service import transfers

router = APIRouter(prefix="/v1", tags=["transfers"])


def _one_target(body: TransferCreate) -> None:
    if (body.to_agent_id is None) == (body.to_team_id is None):
        raise InvalidTransferTarget()


@router.post(
    "/conversations/{conversation_id}/transfers",
    **creates(
        TransferRead,
        NotAssignee,
        ConversationNotFound,
        AgentNotFound,
        TeamNotFound,
        ConversationClosed,
        TransferPending,
        TransferToSelf,
        AgentOffline,
        TransferNotAllowed,
        InvalidTransferTarget,
    ),
)
async def create_transfer(
    conversation_id: UUID, body: TransferCreate, caller: ReaderDep, runtime: DatabaseRuntimeDep
) -> TransferRead:
    """Ask an agent (who must be online) or a team to take over the caller's conversation."""
    _one_target(body)
    transfer = await transfers.request_transfer(
        runtime,
        account_id=caller.account_id,
        requester_id=caller.id,
        conversation_id=conversation_id,
        to_agent_id=body.to_agent_id,
        to_team_id=body.to_team_id,
        reason=body.reason,
    )
    return TransferRead.of(transfer)


@router.get(
    "/conversations/{conversation_id}/transfers", **lists(TransferRead, ConversationNotFound)
)
async def list_conversation_transfers(
    conversation_id: UUID, caller: ReaderDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> Page[TransferRead]:
    """The conversation's transfer history (who, to whom, when, outcome), oldest first."""
    history = await transfer_answers.list_transfers(
        runtime, account_id=caller.account_id, conversation_id=conversation_id, page=page
    )
    return Page.of_rows(history, TransferRead.of)


@router.post(
    "/transfers",
    **creates(
        Page[TransferRead],
        AgentNotFound,
        TeamNotFound,
        TransferToSelf,
        AgentOffline,
        TransferNotAllowed,
        InvalidTransferTarget,
    ),
)
async def transfer_all_open(
    body: TransferAllCreate, caller: AgentDep, runtime: DatabaseRuntimeDep
) -> Page[TransferRead]:
    """Transfer every open conversation of the caller (one transfer each)."""
    _one_target(body)
    made = await transfers.transfer_all_open(
        runtime,
        account_id=caller.account_id,
        requester_id=caller.id,
        to_agent_id=body.to_agent_id,
        to_team_id=body.to_team_id,
        reason=body.reason,
    )
    return Page.of(made, None, TransferRead.of)


@router.get("/transfers/{transfer_id}", **answers(TransferRead, TransferNotFound))
async def get_transfer(
    transfer_id: UUID, caller: AgentDep, runtime: DatabaseRuntimeDep
) -> TransferRead:
    """One transfer of the caller's account (its requester, its target, or whoever may see
    the conversation)."""
    return TransferRead.of(
        await transfers.get_transfer(runtime, caller=caller, transfer_id=transfer_id)
    )


@router.post(
    "/transfers/{transfer_id}/accept",
    **answers(
        TransferRead,
        NotTransferTarget,
        TransferNotFound,
        TransferExpired,
        TransferNotPending,
        ConversationClosed,
        AtCapacity,
    ),
)
async def accept_transfer(
    transfer_id: UUID, caller: AgentDep, runtime: DatabaseRuntimeDep
) -> TransferRead:
    """Take over the transferred conversation (its target only)."""
    transfer = await transfer_answers.accept_transfer(
        runtime, account_id=caller.account_id, agent_id=caller.id, transfer_id=transfer_id
    )
    return TransferRead.of(transfer)


@router.post(
    "/transfers/{transfer_id}/reject",
    **answers(
        TransferRead, NotTransferTarget, TransferNotFound, TransferExpired, TransferNotPending
    ),
)
async def reject_transfer(
    transfer_id: UUID,
    caller: AgentDep,
    runtime: DatabaseRuntimeDep,
    body: TransferReject | None = None,
) -> TransferRead:
    """Decline the transfer (its target only); the requester keeps the conversation."""
    transfer = await transfer_answers.reject_transfer(
        runtime,
        account_id=caller.account_id,
        agent_id=caller.id,
        transfer_id=transfer_id,
        reason=body.reason if body else None,
    )
    return TransferRead.of(transfer)
