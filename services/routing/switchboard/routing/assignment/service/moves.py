"""The moves every path shares: assign, unassign, back to the queue, send to a team's queue,
withdraw an offer, cancel transfers, and the pool of agents a conversation routes to. Each
runs inside the caller's ``Work``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from switchboard.contracts.routing import TransferRejected
from switchboard.contracts.values import AssignmentReason
from switchboard.core.events import utcnow
from switchboard.routing.assignment.domain.eligibility import Candidate
from switchboard.routing.assignment.domain.offers import OfferStatus, withdrawn_audience
from switchboard.routing.assignment.domain.strategy import Strategy, choose_pool, without_lapsed
from switchboard.routing.assignment.store import loads, queue
from switchboard.routing.assignment.store import offers as offer_store
from switchboard.routing.assignment.store import timers as timer_store
from switchboard.routing.directory.store import inboxes as inbox_store
from switchboard.routing.directory.store import teams as team_store
from switchboard.routing.service import events
from switchboard.routing.service.work import Work
from switchboard.routing.store.models import (
    Account,
    Conversation,
    Inbox,
    QueuedConversation,
    Team,
)
from switchboard.routing.transfers.domain.transfers import TransferStatus
from switchboard.routing.transfers.store import transfers as transfer_store


@dataclass(frozen=True)
class Route:
    """How a conversation is routed right now: the strategy and the pool it picks from."""

    strategy: Strategy
    team_id: UUID | None
    pool: list[Candidate]


async def route_for(
    work: Work, *, inbox_id: UUID, team_id: UUID | None, conversation_id: UUID
) -> Route:
    """A conversation sent to a team uses the team's strategy and members; otherwise the inbox
    decides (its team's members, or its own members). Lapsed agents are left out, and an empty
    team falls back to its fallback team."""
    session = work.session
    inbox = await session.get(Inbox, inbox_id)
    strategy = Strategy(inbox.strategy) if inbox is not None else Strategy.round_robin
    team: Team | None = None
    if team_id is not None:
        team = await session.get(Team, team_id)
        if team is not None:
            strategy = Strategy(team.strategy)
    elif inbox is not None and inbox.team_id is not None:
        team = await session.get(Team, inbox.team_id)
    lapsed = await queue.lapsed_agents(session, conversation_id)
    if team is None:
        pool = without_lapsed(await loads.inbox_candidates(session, inbox_id), lapsed)
        return Route(strategy, None, pool)
    primary = without_lapsed(await loads.team_candidates(session, team.id), lapsed)
    fallback = None
    if team.fallback_team_id is not None:
        fallback = without_lapsed(
            await loads.team_candidates(session, team.fallback_team_id), lapsed
        )
    return Route(strategy, team.id, list(choose_pool(primary, fallback)))


async def may_serve(work: Work, *, inbox_id: UUID, team_id: UUID | None, agent_id: UUID) -> bool:
    """Membership: of the inbox, of the conversation's team (or the inbox's), or its fallback."""
    session = work.session
    if await inbox_store.is_member(session, inbox_id, agent_id):
        return True
    if team_id is None:
        inbox = await session.get(Inbox, inbox_id)
        team_id = inbox.team_id if inbox is not None else None
    if team_id is None:
        return False
    if await team_store.is_member(session, team_id, agent_id):
        return True
    team = await session.get(Team, team_id)
    fallback = team.fallback_team_id if team is not None else None
    return fallback is not None and await team_store.is_member(session, fallback, agent_id)


async def account_settings(work: Work) -> Account:
    account = await work.session.get(Account, work.account_id)
    assert account is not None
    return account


async def assign(
    work: Work,
    *,
    conversation_id: UUID,
    inbox_id: UUID,
    agent_id: UUID,
    reason: AssignmentReason,
    previous_agent_id: UUID | None = None,
    queued: QueuedConversation | None = None,
    by_agent_id: UUID | None = None,
) -> None:
    """Give the conversation to the agent (the caller locked the agent and checked capacity):
    off the queue, ``assignment.created``, and a response timer when the inbox has one.
    ``by_agent_id``: who assigned it by hand."""
    session, now = work.session, utcnow()
    waited = None
    if queued is not None:
        waited = max(0.0, (now - queued.queued_at).total_seconds())
        await queue.dequeue(session, work.account_id, conversation_id)
        work.touched_inboxes.add(inbox_id)
    await queue.upsert_assignment(
        session,
        conversation_id=conversation_id,
        account_id=work.account_id,
        inbox_id=inbox_id,
        agent_id=agent_id,
        at=now,
        waited_seconds=waited,
    )
    await work.publish(
        events.assignment_created(
            account_id=work.account_id,
            conversation_id=conversation_id,
            inbox_id=inbox_id,
            agent_id=agent_id,
            previous_agent_id=previous_agent_id,
            reason=reason,
            by_agent_id=by_agent_id,
        )
    )
    inbox = await session.get(Inbox, inbox_id)  # usually loaded already by ``route_for``
    timeout = inbox.response_timeout_seconds if inbox is not None else None
    if timeout is None:
        await timer_store.stop_timer(session, conversation_id)
        return
    due = now + timedelta(seconds=timeout)
    await timer_store.start_timer(
        session,
        account_id=work.account_id,
        conversation_id=conversation_id,
        agent_id=agent_id,
        due_at=due,
    )
    # Imported here: the response timer's use case builds on this module.
    from switchboard.routing.assignment.service.timers import response_timeout_job

    work.later(
        response_timeout_job,
        str(work.account_id),
        str(conversation_id),
        str(agent_id),
        at=due,
        job_id=f"timeout:{conversation_id}:{agent_id}:{due.isoformat()}",
    )


async def unassign(work: Work, conversation: Conversation, agent_id: UUID, *, reason: str) -> None:
    """Take the conversation from its agent (``assignment.removed``); the slot frees."""
    await queue.remove_assignment(work.session, conversation.id)
    await timer_store.stop_timer(work.session, conversation.id)
    await work.publish(
        events.assignment_removed(
            account_id=work.account_id,
            conversation_id=conversation.id,
            inbox_id=conversation.inbox_id,
            agent_id=agent_id,
            reason=reason,
        )
    )
    work.freed_agents.add(agent_id)


async def send_to_team(
    work: Work, conversation: Conversation, team_id: UUID, *, by_agent_id: UUID | None
) -> None:
    """The conversation's team is ``team_id`` from now on (its pool, its queue); chat hears
    of a change (``assignment.team_changed``)."""
    previous = conversation.team_id
    if previous == team_id:
        return
    conversation.team_id = team_id
    await work.publish(
        events.team_changed(
            conversation, team_id=team_id, previous_team_id=previous, by_agent_id=by_agent_id
        )
    )


async def back_to_queue(work: Work, conversation: Conversation, *, at: datetime) -> None:
    """Into its queue (its inbox's, or its team's when it was sent to one) as of ``at``, which
    drains right after: a conversation that needs an agent and has none now."""
    await queue.enqueue(
        work.session,
        conversation_id=conversation.id,
        account_id=work.account_id,
        inbox_id=conversation.inbox_id,
        at=at,
        team_id=conversation.team_id,
    )
    work.touched_inboxes.add(conversation.inbox_id)
    if conversation.team_id is not None:
        work.drain_teams.add(conversation.team_id)


async def send_to_team_queue(
    work: Work,
    conversation: Conversation,
    team_id: UUID,
    *,
    agent_id: UUID | None,
    by_agent_id: UUID | None = None,
) -> None:
    """Off its agent ``agent_id`` (if any), its open offer withdrawn, and into the team's queue
    (a queued conversation moves to it), which drains right after. Used by an assignment to a
    team and by a transfer nobody in the team can take now."""
    if agent_id is not None:
        await unassign(work, conversation, agent_id, reason="transfer")
    await withdraw_offer(work, conversation.id, reason="expired")
    await send_to_team(work, conversation, team_id, by_agent_id=by_agent_id)
    queued = await queue.get(work.session, work.account_id, conversation.id)
    if queued is not None:
        queued.team_id = team_id
    else:
        await queue.enqueue(
            work.session,
            conversation_id=conversation.id,
            account_id=work.account_id,
            inbox_id=conversation.inbox_id,
            at=utcnow(),
            team_id=team_id,
        )
    work.touched_inboxes.add(conversation.inbox_id)
    work.drain_teams.add(team_id)


async def withdraw_offer(
    work: Work, conversation_id: UUID, *, reason: str, winner_id: UUID | None = None
) -> None:
    """Close the conversation's open offer, if any; the offered agents (but the winner) learn."""
    offer = await offer_store.open_offer_of(work.session, conversation_id)
    if offer is None:
        return
    offer.status = OfferStatus.accepted if winner_id is not None else OfferStatus.withdrawn
    offer.winner_id = winner_id
    offer.decided_at = utcnow()
    queued = await queue.get(work.session, work.account_id, conversation_id)
    if queued is not None and queued.offer_id == offer.id:
        queued.offer_id = None
    audience = withdrawn_audience(offer.agent_ids, winner_id)
    await work.publish(events.offer_withdrawn(offer, reason=reason, audience=audience))


async def cancel_transfers(work: Work, conversation_id: UUID, *, reason: str) -> None:
    """Pending transfers end when the conversation closes or changes hands another way: both
    sides get ``transfer.rejected`` with the reason."""
    for transfer in await transfer_store.pending_transfers_of(work.session, conversation_id):
        transfer.status = TransferStatus.cancelled
        transfer.reason = reason
        transfer.decided_at = utcnow()
        await work.publish(events.transfer_settled(TransferRejected, transfer))
