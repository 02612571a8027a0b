"""Manual assignment: agents take from the queue for themselves; supervisors and admins
assign any member; only admins override capacity, and only when they say so."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from switchboard.core.auth import Principal, Role
from switchboard.core.errors import Forbidden
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.domain.capacity import capacity_refusal
from switchboard.routing.assignment.service.moves import (
    assign,
    cancel_transfers,
    may_serve,
    send_to_team,
    send_to_team_queue,
    withdraw_offer,
)
from switchboard.routing.assignment.store import loads, queue
from switchboard.routing.directory.store import agents as agent_store
from switchboard.routing.directory.store import teams as team_store
from switchboard.routing.errors import (
    AgentNotFound,
    AlreadyAssigned,
    AssignmentTargetRequired,
    ConversationClosed,
    ConversationNotFound,
    FromQueueOnly,
    NotAMember,
    TeamNotFound,
    found,
    refused,
)
from switchboard.routing.service.work import Work, routing_work
from switchboard.routing.store import conversations
from switchboard.routing.store.conversations import ACTIVE_STATUSES
from switchboard.routing.store.models import Conversation


@dataclass(frozen=True)
class ManualAssignment:
    conversation_id: UUID
    agent_id: UUID | None
    previous_agent_id: UUID | None
    team_id: UUID | None
    status: str  # assigned | queued


async def assign_conversation(
    runtime: DatabaseRuntime,
    *,
    caller: Principal,
    conversation_id: UUID,
    agent_id: UUID | None,
    team_id: UUID | None,
    override_capacity: bool,
) -> ManualAssignment:
    """Assign the conversation to an agent (checked against membership and capacity), or send
    it to a team's queue (``team_id`` alone, supervisors and admins)."""
    staff = caller.at_least(Role.supervisor)
    if not staff and (team_id is not None or agent_id not in (None, caller.id)):
        raise Forbidden("agents assign conversations to themselves only")
    target = agent_id if staff else caller.id
    if target is None and team_id is None:
        raise AssignmentTargetRequired()
    async with routing_work(runtime, caller.account_id) as work:
        session = work.session
        conversation = found(
            await conversations.lock(session, caller.account_id, conversation_id),
            ConversationNotFound,
        )
        if conversation.status not in ACTIVE_STATUSES:
            raise ConversationClosed()
        if (
            team_id is not None
            and await team_store.get(session, caller.account_id, team_id) is None
        ):
            raise TeamNotFound()
        current = await conversations.assignee_of(session, conversation_id)
        queued = await queue.get(session, caller.account_id, conversation_id, lock=True)
        if not staff and queued is None:
            raise FromQueueOnly()
        if target is None:
            assert team_id is not None
            if current is not None:
                await cancel_transfers(work, conversation_id, reason="reassigned")
            await send_to_team_queue(
                work, conversation, team_id, agent_id=current, by_agent_id=caller.id
            )
            return ManualAssignment(conversation_id, None, current, team_id, "queued")
        await _check_target(work, conversation, queued, target, team_id, current)
        await _check_capacity(work, caller, target, override_capacity)
        await withdraw_offer(work, conversation_id, reason="taken", winner_id=target)
        if current is not None:
            await cancel_transfers(work, conversation_id, reason="reassigned")
            work.freed_agents.add(current)
        if team_id is not None:
            await send_to_team(work, conversation, team_id, by_agent_id=caller.id)
        await assign(
            work,
            conversation_id=conversation_id,
            inbox_id=conversation.inbox_id,
            agent_id=target,
            reason="manual",
            previous_agent_id=current,
            queued=queued,
            by_agent_id=caller.id,
        )
    return ManualAssignment(conversation_id, target, current, team_id, "assigned")


async def _check_target(
    work: Work,
    conversation: Conversation,
    queued: object,
    target: UUID,
    team_id: UUID | None,
    current: UUID | None,
) -> None:
    session = work.session
    found(await agent_store.get(session, work.account_id, target), AgentNotFound)
    if current == target:
        raise AlreadyAssigned()
    if team_id is not None:
        member = await team_store.is_member(session, team_id, target)
    else:
        member = await may_serve(
            work, inbox_id=conversation.inbox_id, team_id=conversation.team_id, agent_id=target
        )
    if not member:
        raise NotAMember()


async def _check_capacity(work: Work, caller: Principal, target: UUID, override: bool) -> None:
    candidate = await loads.lock_candidate(work.session, target, skip_locked=False)
    assert candidate is not None
    refusal = capacity_refusal(
        load=candidate.load,
        capacity=candidate.capacity if candidate.capacity is not None else candidate.load + 1,
        override=override,
        may_override=caller.at_least(Role.admin),
    )
    if refusal is not None:
        raise refused(refusal)


async def take_on_open(work: Work, conversation: Conversation, agent_id: UUID) -> bool:
    """AhaSpot's rule: an agent who sets an unassigned conversation open takes it, when he
    could take it from the queue himself (he serves its inbox or team and has a free slot);
    otherwise it stays where it is. The caller locked the conversation; True when assigned."""
    session = work.session
    agent = await agent_store.get(session, work.account_id, agent_id)
    if agent is None or not agent.active:
        return False
    if not await may_serve(
        work, inbox_id=conversation.inbox_id, team_id=conversation.team_id, agent_id=agent_id
    ):
        return False
    candidate = await loads.lock_candidate(session, agent_id, skip_locked=False)
    if candidate is None:
        return False
    capacity = candidate.capacity if candidate.capacity is not None else candidate.load + 1
    if capacity_refusal(load=candidate.load, capacity=capacity, override=False, may_override=False):
        return False
    queued = await queue.get(session, work.account_id, conversation.id, lock=True)
    await withdraw_offer(work, conversation.id, reason="taken", winner_id=agent_id)
    await assign(
        work,
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        agent_id=agent_id,
        reason="manual",
        queued=queued,
        by_agent_id=agent_id,
    )
    return True
