"""Transfers: the assignee asks, the target (an agent, or members of a team) accepts or not."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from uuid6 import uuid7

from switchboard.contracts.routing import TransferAccepted
from switchboard.core.auth import Principal
from switchboard.core.errors import NotFound
from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.domain.availability import AgentStatus
from switchboard.routing.assignment.domain.strategy import Strategy, choose_pool, ranked
from switchboard.routing.assignment.service.moves import account_settings, send_to_team_queue
from switchboard.routing.assignment.store import loads
from switchboard.routing.directory.service.access import require_reader
from switchboard.routing.directory.store import agents as agent_store
from switchboard.routing.directory.store import teams as team_store
from switchboard.routing.errors import (
    AgentNotFound,
    ConversationNotFound,
    TeamNotFound,
    TransferNotAllowed,
    TransferNotFound,
    found,
    refused,
)
from switchboard.routing.service import events
from switchboard.routing.service.work import Work, routing_work
from switchboard.routing.store import conversations
from switchboard.routing.store.conversations import ACTIVE_STATUSES
from switchboard.routing.store.models import Agent, Conversation, Inbox, Team, Transfer
from switchboard.routing.transfers.domain.transfers import (
    TransferStatus,
    request_refusal,
)
from switchboard.routing.transfers.service.answers import expire_transfer_job
from switchboard.routing.transfers.store import transfers as transfer_store


async def _team_allows(work: Work, conversation: Conversation, to_team_id: UUID) -> bool:
    """A team that lists the teams it transfers to allows only those; none listed: any."""
    from_team = conversation.team_id
    if from_team is None:
        inbox = await work.session.get(Inbox, conversation.inbox_id)
        from_team = inbox.team_id if inbox is not None else None
    if from_team is None:
        return True
    allowed = (await team_store.transfer_targets(work.session, [from_team]))[from_team]
    return not allowed or to_team_id in allowed


async def _team_targets(work: Work, team: Team, requester_id: UUID) -> list[UUID]:
    """The team's strategy picks who is asked: everyone able (broadcast) or the one whose turn
    it is; the fallback team when nobody in the team can take it."""
    session = work.session
    primary = [c for c in await loads.team_candidates(session, team.id) if c.id != requester_id]
    fallback = None
    if team.fallback_team_id is not None:
        fallback = [
            c
            for c in await loads.team_candidates(session, team.fallback_team_id)
            if c.id != requester_id
        ]
    ordered = ranked(Strategy(team.strategy), choose_pool(primary, fallback))
    if Strategy(team.strategy) is Strategy.broadcast:
        return [c.id for c in ordered]
    return [c.id for c in ordered[:1]]


async def _request(
    work: Work,
    *,
    requester_id: UUID,
    conversation_id: UUID,
    to_agent_id: UUID | None,
    to_team_id: UUID | None,
    reason: str | None,
) -> Transfer:
    session, account_id = work.session, work.account_id
    conversation = found(
        await conversations.lock(session, account_id, conversation_id), ConversationNotFound
    )
    agent, team = await _target(work, to_agent_id, to_team_id)
    target_online = (
        agent is not None and agent.status == AgentStatus.online.value and agent.connected
    )
    refusal = request_refusal(
        requester_id=requester_id,
        assignee_id=await conversations.assignee_of(session, conversation_id),
        conversation_active=conversation.status in ACTIVE_STATUSES,
        has_pending=bool(await transfer_store.pending_transfers_of(session, conversation_id)),
        to_agent_id=to_agent_id,
        target_online=target_online,
    )
    if refusal is not None:
        raise refused(refusal)
    if team is not None and not await _team_allows(work, conversation, team.id):
        raise TransferNotAllowed()
    now = utcnow()
    account = await account_settings(work)
    if to_agent_id is not None:
        targets = [to_agent_id]
    else:
        assert team is not None
        targets = await _team_targets(work, team, requester_id)
    transfer = Transfer(
        id=uuid7(),
        account_id=account_id,
        conversation_id=conversation_id,
        inbox_id=conversation.inbox_id,
        from_agent_id=requester_id,
        to_agent_id=to_agent_id,
        to_team_id=to_team_id,
        target_ids=targets,
        status=TransferStatus.pending.value,
        reason=reason,
        created_at=now,
        expires_at=now + timedelta(seconds=account.transfer_timeout_seconds),
    )
    session.add(transfer)
    await session.flush()
    if not targets:  # nobody in the team can take it now: it waits in the team's queue
        await _send_to_team_queue(work, conversation, transfer)
        return transfer
    await work.publish(events.transfer_requested(transfer))
    work.later(
        expire_transfer_job,
        str(account_id),
        str(transfer.id),
        at=transfer.expires_at,
        job_id=f"transfer:{transfer.id}",
    )
    return transfer


async def _target(
    work: Work, to_agent_id: UUID | None, to_team_id: UUID | None
) -> tuple[Agent | None, Team | None]:
    """The agent or team a transfer goes to; 404 when the account has no such one."""
    agent = team = None
    if to_agent_id is not None:
        agent = found(
            await agent_store.get(work.session, work.account_id, to_agent_id), AgentNotFound
        )
    if to_team_id is not None:
        team = found(await team_store.get(work.session, work.account_id, to_team_id), TeamNotFound)
    return agent, team


async def _send_to_team_queue(work: Work, conversation: Conversation, transfer: Transfer) -> None:
    assert transfer.to_team_id is not None
    transfer.status = TransferStatus.queued.value
    transfer.decided_at = transfer.created_at
    await send_to_team_queue(
        work,
        conversation,
        transfer.to_team_id,
        agent_id=transfer.from_agent_id,
        by_agent_id=transfer.from_agent_id,
    )
    await work.publish(events.transfer_settled(TransferAccepted, transfer))


async def request_transfer(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    requester_id: UUID,
    conversation_id: UUID,
    to_agent_id: UUID | None,
    to_team_id: UUID | None,
    reason: str | None = None,
) -> Transfer:
    async with routing_work(runtime, account_id) as work:
        return await _request(
            work,
            requester_id=requester_id,
            conversation_id=conversation_id,
            to_agent_id=to_agent_id,
            to_team_id=to_team_id,
            reason=reason,
        )


async def transfer_all_open(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    requester_id: UUID,
    to_agent_id: UUID | None,
    to_team_id: UUID | None,
    reason: str | None = None,
) -> list[Transfer]:
    """One transfer per open conversation of the requester (skipping those with a pending one),
    all or none."""
    async with routing_work(runtime, account_id) as work:
        await _target(work, to_agent_id, to_team_id)  # 404 even with nothing to transfer
        mine = await conversations.active_assigned_to(work.session, account_id, requester_id)
        made = []
        for conversation in mine:
            if await transfer_store.pending_transfers_of(work.session, conversation.id):
                continue
            made.append(
                await _request(
                    work,
                    requester_id=requester_id,
                    conversation_id=conversation.id,
                    to_agent_id=to_agent_id,
                    to_team_id=to_team_id,
                    reason=reason,
                )
            )
        return made


async def get_transfer(
    runtime: DatabaseRuntime, *, caller: Principal, transfer_id: UUID
) -> Transfer:
    """One transfer of the caller's account, for its requester, its target, or whoever may see
    the conversation (404 to anyone else, as to another account)."""
    async with runtime.db.session() as session:
        transfer = found(
            await transfer_store.get_transfer(session, caller.account_id, transfer_id),
            TransferNotFound,
        )
        if caller.id not in (transfer.from_agent_id, transfer.to_agent_id):
            try:
                await require_reader(session, caller, transfer.conversation_id)
            except NotFound as exc:
                raise TransferNotFound() from exc
    return transfer
