"""The pure rules of assignment: who is eligible, whose turn it is, capacity, strategies and
lapses, offers and the wait estimate."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from switchboard.routing.assignment.domain.availability import AgentStatus
from switchboard.routing.assignment.domain.capacity import (
    CapacityRefusal,
    capacity_refusal,
    effective_capacity,
)
from switchboard.routing.assignment.domain.eligibility import (
    Candidate,
    can_take,
    in_rotation_order,
    is_eligible,
    next_agent,
)
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

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


# Agent 0, who may be offered a conversation now: online, taking automatic chats, connected,
# never assigned, with nothing on. The tests' agents differ from it only as they say.
READY = Candidate(
    UUID(int=0), AgentStatus.online, accept_auto_assign=True, connected=True, last_assigned_at=None
)


def agent(
    n: int, *, last: datetime | None = None, capacity: int | None = 5, **changes: Any
) -> Candidate:
    """Agent ``n``, last assigned at ``last``, with room for ``capacity``: ``READY`` but for
    ``changes``."""
    return replace(READY, id=UUID(int=n), last_assigned_at=last, capacity=capacity, **changes)


class TestEligibility:
    def test_online_accepting_and_connected_is_eligible(self) -> None:
        assert is_eligible(agent(1))

    @pytest.mark.parametrize("status", [AgentStatus.busy, AgentStatus.offline])
    def test_busy_or_offline_is_not(self, status: AgentStatus) -> None:
        assert not is_eligible(agent(1, status=status))

    def test_not_accepting_automatic_chats_is_not(self) -> None:
        assert not is_eligible(agent(1, accept_auto_assign=False))

    def test_no_live_connection_is_not(self) -> None:
        assert not is_eligible(agent(1, connected=False))


class TestRoundRobin:
    def test_nobody_eligible_means_nobody(self) -> None:
        assert next_agent([agent(1, connected=False), agent(2, accept_auto_assign=False)]) is None
        assert next_agent([]) is None

    def test_never_assigned_agents_go_first(self) -> None:
        chosen = next_agent([agent(1, last=T0), agent(2)])
        assert chosen is not None and chosen.id == UUID(int=2)

    def test_the_agent_who_waited_longest_goes_next(self) -> None:
        order = in_rotation_order(
            [
                agent(1, last=T0 + timedelta(minutes=2)),
                agent(2, last=T0),
                agent(3, last=T0 + timedelta(minutes=1)),
            ]
        )
        assert [c.id.int for c in order] == [2, 3, 1]

    def test_ties_are_broken_by_id(self) -> None:
        order = in_rotation_order([agent(3), agent(1), agent(2)])
        assert [c.id.int for c in order] == [1, 2, 3]
        order = in_rotation_order([agent(5, last=T0), agent(4, last=T0)])
        assert [c.id.int for c in order] == [4, 5]

    def test_ineligible_agents_never_get_a_turn(self) -> None:
        order = in_rotation_order(
            [agent(1), agent(2, status=AgentStatus.busy), agent(3, connected=False)]
        )
        assert [c.id.int for c in order] == [1]


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
        team = [agent(1, load=5), agent(2, status=AgentStatus.offline)]
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
