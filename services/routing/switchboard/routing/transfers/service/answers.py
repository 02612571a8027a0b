"""Answers to a transfer: accept, reject, or let it expire; and the transfer history."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from switchboard.contracts.routing import TransferAccepted, TransferExpired, TransferRejected
from switchboard.core.events import utcnow
from switchboard.core.pagination import PageQuery, Rows
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.worker import job_runtime
from switchboard.routing.assignment.domain.eligibility import has_room
from switchboard.routing.assignment.service.moves import assign, send_to_team, withdraw_offer
from switchboard.routing.assignment.store import loads
from switchboard.routing.errors import (
    AtCapacity,
    ConversationNotFound,
    TransferNotFound,
    found,
    refused,
)
from switchboard.routing.service import events
from switchboard.routing.service.work import Work, routing_work
from switchboard.routing.store import conversations
from switchboard.routing.store.conversations import ACTIVE_STATUSES
from switchboard.routing.store.models import Transfer
from switchboard.routing.transfers.domain.transfers import (
    TransferRefusal,
    TransferStatus,
    decision_refusal,
)
from switchboard.routing.transfers.store import transfers as transfer_store


async def _settle_expired(work: Work, transfer: Transfer, now: datetime) -> None:
    transfer.status = TransferStatus.expired.value
    transfer.reason = "timeout"
    transfer.decided_at = now
    await work.publish(events.transfer_settled(TransferExpired, transfer))


async def _locked(work: Work, transfer_id: UUID) -> Transfer:
    """The transfer, with its conversation's routing row locked first (then the transfer)."""
    session = work.session
    known = found(
        await transfer_store.get_transfer(session, work.account_id, transfer_id), TransferNotFound
    )
    await conversations.lock(session, work.account_id, known.conversation_id)
    transfer = await transfer_store.lock_transfer(session, work.account_id, transfer_id)
    assert transfer is not None
    await session.refresh(transfer)
    return transfer


Decide = Callable[[Work, Transfer, datetime], Awaitable[TransferRefusal | None]]


async def _answer(
    runtime: DatabaseRuntime, account_id: UUID, agent_id: UUID, transfer_id: UUID, decide: Decide
) -> Transfer:
    """One target's answer: refused unless the transfer waits for this agent; one found past
    its expiry is settled as expired (committed) before the refusal. ``decide`` carries the
    answer out and may still refuse, after its own changes are committed."""
    async with routing_work(runtime, account_id) as work:
        now = utcnow()
        transfer = await _locked(work, transfer_id)
        refusal = decision_refusal(
            status=TransferStatus(transfer.status),
            expires_at=transfer.expires_at,
            now=now,
            targets=transfer.target_ids,
            agent_id=agent_id,
        )
        if (
            refusal is TransferRefusal.transfer_expired
            and transfer.status == TransferStatus.pending
        ):
            await _settle_expired(work, transfer, now)  # committed, then refused below
        elif refusal is not None:
            raise refused(refusal)
        else:
            refusal = await decide(work, transfer, now)
    if refusal is not None:
        raise refused(refusal)
    return transfer


async def accept_transfer(
    runtime: DatabaseRuntime, *, account_id: UUID, agent_id: UUID, transfer_id: UUID
) -> Transfer:
    """The target takes the conversation: the assignment moves, the requester is removed.

    A resolve of the conversation locks the same routing row, so whichever comes second sees
    the other's outcome: a transfer of a closed conversation is cancelled (409).
    """

    async def move(work: Work, transfer: Transfer, now: datetime) -> TransferRefusal | None:
        return await _move(work, transfer, agent_id, now)

    return await _answer(runtime, account_id, agent_id, transfer_id, move)


async def _move(
    work: Work, transfer: Transfer, agent_id: UUID, now: datetime
) -> TransferRefusal | None:
    session = work.session
    conversation = await conversations.get(session, work.account_id, transfer.conversation_id)
    assignee = await conversations.assignee_of(session, transfer.conversation_id)
    closed = conversation is None or conversation.status not in ACTIVE_STATUSES
    if closed or assignee != transfer.from_agent_id:
        transfer.status = TransferStatus.cancelled.value
        transfer.reason = "conversation_closed" if closed else "reassigned"
        transfer.decided_at = now
        await work.publish(events.transfer_settled(TransferRejected, transfer))
        if closed:
            return TransferRefusal.conversation_closed
        return TransferRefusal.transfer_not_pending
    candidate = await loads.lock_candidate(session, agent_id, skip_locked=False)
    if candidate is None or not has_room(candidate):
        raise AtCapacity("you are at capacity")
    transfer.status = TransferStatus.accepted.value
    transfer.by_agent_id = agent_id
    transfer.decided_at = now
    if transfer.to_team_id is not None and conversation is not None:
        await send_to_team(work, conversation, transfer.to_team_id, by_agent_id=agent_id)
    await withdraw_offer(work, transfer.conversation_id, reason="taken", winner_id=agent_id)
    await assign(
        work,
        conversation_id=transfer.conversation_id,
        inbox_id=transfer.inbox_id,
        agent_id=agent_id,
        reason="transfer",
        previous_agent_id=transfer.from_agent_id,
    )
    work.freed_agents.add(transfer.from_agent_id)
    await work.publish(events.transfer_settled(TransferAccepted, transfer))
    return None


async def reject_transfer(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    agent_id: UUID,
    transfer_id: UUID,
    reason: str | None,
) -> Transfer:
    """The target declines: the conversation stays with the requester, who is told why."""

    async def decline(work: Work, transfer: Transfer, now: datetime) -> None:
        transfer.status = TransferStatus.rejected.value
        transfer.reason = reason or "rejected"
        transfer.by_agent_id = agent_id
        transfer.decided_at = now
        await work.publish(events.transfer_settled(TransferRejected, transfer))

    return await _answer(runtime, account_id, agent_id, transfer_id, decline)


async def expire_transfer(
    runtime: DatabaseRuntime, *, account_id: UUID, transfer_id: UUID, now: datetime | None = None
) -> bool:
    """A pending transfer past its expiry ends: the requester keeps the conversation."""
    now = now or utcnow()
    async with routing_work(runtime, account_id) as work:
        found = await transfer_store.get_transfer(work.session, account_id, transfer_id)
        if found is None or found.status != TransferStatus.pending or found.expires_at > now:
            return False
        transfer = await _locked(work, transfer_id)
        if transfer.status != TransferStatus.pending:
            return False
        await _settle_expired(work, transfer, now)
    return True


async def list_transfers(
    runtime: DatabaseRuntime, *, account_id: UUID, conversation_id: UUID, page: PageQuery
) -> Rows[Transfer]:
    """The conversation's transfer history, oldest first."""
    async with runtime.db.session() as session:
        found(await conversations.get(session, account_id, conversation_id), ConversationNotFound)
        return await transfer_store.page(session, conversation_id, page)


async def expire_transfer_job(ctx: dict[str, Any], account_id: str, transfer_id: str) -> bool:
    """The job at a transfer's deadline (arq): end it if nobody answered in time; the
    requester keeps the conversation."""
    return await expire_transfer(
        job_runtime(ctx), account_id=UUID(account_id), transfer_id=UUID(transfer_id)
    )
