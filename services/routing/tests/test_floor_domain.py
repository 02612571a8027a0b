"""The pure rules of the support floor: capacity, strategies, lapses, offers, transfers,
participants and the wait estimate."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from switchboard.routing.assignment.domain.availability import AgentStatus
from switchboard.routing.assignment.domain.capacity import (
    CapacityRefusal,
    capacity_refusal,
    effective_capacity,
)
from switchboard.routing.assignment.domain.eligibility import Candidate, can_take, next_agent
from switchboard.routing.assignment.domain.offers import (
    OfferRefusal,
    OfferStatus,
    accept_refusal,
    withdrawn_audience,
)
from switchboard.routing.assignment.domain.strategy import (
    Strategy,
    choose_pool,
    parse_strategy,
    ranked,
    without_lapsed,
)
from switchboard.routing.assignment.domain.waiting import estimate_wait_seconds, position_changes
from switchboard.routing.transfers.domain.participants import (
    InviteRefusal,
    ParticipantKind,
    ParticipantRefusal,
    invite_refusal,
    leave_refusal,
    monitor_refusal,
)
from switchboard.routing.transfers.domain.transfers import (
    TransferRefusal,
    TransferStatus,
    decision_refusal,
    request_refusal,
)

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def agent(
    n: int,
    *,
    load: int = 0,
    capacity: int | None = 5,
    last: datetime | None = None,
    online: bool = True,
) -> Candidate:
    return Candidate(
        id=UUID(int=n),
        status=AgentStatus.online if online else AgentStatus.offline,
        accept_auto_assign=True,
        connected=True,
        last_assigned_at=last,
        load=load,
        capacity=capacity,
    )


class TestCapacity:
    def test_the_agents_own_maximum_wins_over_the_accounts(self) -> None:
        assert effective_capacity(None, 5) == 5
        assert effective_capacity(2, 5) == 2
        assert effective_capacity(0, 5) == 0

    def test_at_capacity_an_agent_cannot_take_more(self) -> None:
        assert can_take(agent(1, load=4, capacity=5))
        assert not can_take(agent(1, load=5, capacity=5))
        assert next_agent([agent(1, load=5), agent(2, load=1, last=T0)]) == agent(
            2, load=1, last=T0
        )

    def test_only_admins_override_and_only_when_asked(self) -> None:
        assert (
            capacity_refusal(load=5, capacity=5, override=False, may_override=True)
            is CapacityRefusal.at_capacity
        )
        assert capacity_refusal(load=5, capacity=5, override=True, may_override=True) is None
        assert (
            capacity_refusal(load=0, capacity=5, override=True, may_override=False)
            is CapacityRefusal.override_not_allowed
        )
        assert capacity_refusal(load=1, capacity=5, override=False, may_override=False) is None


class TestStrategies:
    def test_strategy_names_are_checked(self) -> None:
        assert parse_strategy("least_busy") is Strategy.least_busy
        with pytest.raises(ValueError, match="round_robin"):
            parse_strategy("random")

    def test_round_robin_takes_the_longest_waiting(self) -> None:
        busy_but_waiting = agent(1, load=3, last=T0)
        idle_but_recent = agent(2, load=0, last=T0 + timedelta(minutes=1))
        order = ranked(Strategy.round_robin, [idle_but_recent, busy_but_waiting])
        assert [c.id for c in order] == [UUID(int=1), UUID(int=2)]

    def test_least_busy_takes_the_fewest_open_then_round_robin(self) -> None:
        a = agent(1, load=3, last=T0)
        b = agent(2, load=1, last=T0 + timedelta(minutes=2))
        c = agent(3, load=1, last=T0 + timedelta(minutes=1))
        full = agent(4, load=5, last=None)
        order = ranked(Strategy.least_busy, [a, b, c, full])
        assert [x.id.int for x in order] == [3, 2, 1]

    def test_lapsed_agents_are_never_candidates(self) -> None:
        pool = [agent(1), agent(2)]
        assert without_lapsed(pool, {UUID(int=1)}) == [agent(2)]

    def test_the_fallback_team_is_used_only_when_nobody_in_the_team_can_take_it(self) -> None:
        team = [agent(1, load=5), agent(2, online=False)]
        fallback = [agent(3)]
        assert choose_pool(team, fallback) == fallback
        assert choose_pool([agent(1)], fallback) == [agent(1)]
        assert choose_pool(team, None) == team


class TestOffers:
    def test_exactly_one_accept_wins(self) -> None:
        offered = [UUID(int=1), UUID(int=2)]
        later = T0 + timedelta(seconds=60)

        def refusal(status: OfferStatus, who: int, now: datetime = T0) -> OfferRefusal | None:
            return accept_refusal(
                status=status, expires_at=later, now=now, offered_to=offered, agent_id=UUID(int=who)
            )

        assert refusal(OfferStatus.open, 1) is None
        assert refusal(OfferStatus.accepted, 2) is OfferRefusal.offer_taken
        assert refusal(OfferStatus.open, 2, later) is OfferRefusal.offer_expired
        assert refusal(OfferStatus.expired, 2) is OfferRefusal.offer_expired
        assert refusal(OfferStatus.open, 3) is OfferRefusal.not_offered

    def test_everyone_but_the_winner_hears_of_the_withdrawal(self) -> None:
        offered = [UUID(int=1), UUID(int=2), UUID(int=3)]
        assert withdrawn_audience(offered, UUID(int=2)) == [UUID(int=1), UUID(int=3)]
        assert withdrawn_audience(offered, None) == offered


class TestTransfers:
    def test_only_the_assignee_of_an_open_conversation_asks_an_online_agent(self) -> None:
        me, other = UUID(int=1), UUID(int=2)

        def refusal(**over: object) -> TransferRefusal | None:
            args: dict[str, object] = {
                "requester_id": me,
                "assignee_id": me,
                "conversation_active": True,
                "has_pending": False,
                "to_agent_id": other,
                "target_online": True,
            }
            args.update(over)
            return request_refusal(**args)  # type: ignore[arg-type]

        assert refusal() is None
        assert refusal(assignee_id=other) is TransferRefusal.not_assignee
        assert refusal(conversation_active=False) is TransferRefusal.conversation_closed
        assert refusal(has_pending=True) is TransferRefusal.transfer_pending
        assert refusal(to_agent_id=me) is TransferRefusal.transfer_to_self
        assert refusal(target_online=False) is TransferRefusal.agent_offline
        assert refusal(to_agent_id=None, target_online=False) is None  # a team

    def test_answers_are_for_the_target_of_a_pending_unexpired_transfer(self) -> None:
        target = UUID(int=2)
        later = T0 + timedelta(minutes=2)

        def refusal(
            status: TransferStatus, who: UUID = target, now: datetime = T0
        ) -> TransferRefusal | None:
            return decision_refusal(
                status=status, expires_at=later, now=now, targets=[target], agent_id=who
            )

        assert refusal(TransferStatus.pending) is None
        assert refusal(TransferStatus.pending, UUID(int=9)) is TransferRefusal.not_transfer_target
        assert refusal(TransferStatus.pending, now=later) is TransferRefusal.transfer_expired
        assert refusal(TransferStatus.expired) is TransferRefusal.transfer_expired
        assert refusal(TransferStatus.accepted) is TransferRefusal.transfer_not_pending
        assert refusal(TransferStatus.cancelled) is TransferRefusal.transfer_not_pending


class TestParticipants:
    def test_invitations(self) -> None:
        assignee, helper, monitor, other = (UUID(int=n) for n in (1, 2, 3, 4))
        present = {helper: ParticipantKind.participant, monitor: ParticipantKind.monitor}

        def refusal(inviter: UUID, invitee: UUID, invited: bool = False) -> InviteRefusal | None:
            return invite_refusal(
                inviter_id=inviter,
                invitee_id=invitee,
                assignee_id=assignee,
                present=present,
                already_invited=invited,
            )

        assert refusal(assignee, other) is None
        assert refusal(helper, other) is None
        assert refusal(monitor, other) is InviteRefusal.not_a_participant
        assert refusal(other, UUID(int=5)) is InviteRefusal.not_a_participant
        assert refusal(assignee, helper) is InviteRefusal.already_participant
        assert refusal(helper, assignee) is InviteRefusal.already_participant
        assert refusal(assignee, other, True) is InviteRefusal.already_invited

    def test_anyone_but_the_assignee_leaves_and_monitors_join_once(self) -> None:
        assignee, helper = UUID(int=1), UUID(int=2)
        present = {helper: ParticipantKind.participant}
        assert leave_refusal(agent_id=helper, assignee_id=assignee, present=present) is None
        assert (
            leave_refusal(agent_id=assignee, assignee_id=assignee, present=present)
            is ParticipantRefusal.assignee_cannot_leave
        )
        assert (
            leave_refusal(agent_id=UUID(int=3), assignee_id=assignee, present=present)
            is ParticipantRefusal.not_a_participant
        )
        assert monitor_refusal(agent_id=UUID(int=3), assignee_id=assignee, present=present) is None
        assert (
            monitor_refusal(agent_id=helper, assignee_id=assignee, present=present)
            is ParticipantRefusal.already_participant
        )


class TestWaiting:
    def test_the_estimate_is_position_times_the_recent_average_wait(self) -> None:
        assert estimate_wait_seconds(0, [30.0]) == 0
        assert estimate_wait_seconds(3, []) == 180
        assert estimate_wait_seconds(2, [10.0, 30.0]) == 40

    def test_only_changed_positions_are_told_and_leavers_get_zero(self) -> None:
        a, b, c = UUID(int=1), UUID(int=2), UUID(int=3)
        assert position_changes([a, b], {}) == [(a, 1), (b, 2)]
        assert position_changes([b, c], {a: 1, b: 2}) == [(b, 1), (c, 2), (a, 0)]
        assert position_changes([a, b], {a: 1, b: 2}) == []
