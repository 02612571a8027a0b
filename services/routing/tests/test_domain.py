"""The pure rules: who is eligible, whose turn it is, how emails compare."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from switchboard.routing.assignment.domain.availability import AgentStatus
from switchboard.routing.assignment.domain.eligibility import (
    Candidate,
    in_rotation_order,
    is_eligible,
    next_agent,
)
from switchboard.routing.directory.domain.emails import normalize_email

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def candidate(
    n: int,
    *,
    status: AgentStatus = AgentStatus.online,
    accept: bool = True,
    connected: bool = True,
    last: datetime | None = None,
) -> Candidate:
    return Candidate(
        id=UUID(int=n),
        status=status,
        accept_auto_assign=accept,
        connected=connected,
        last_assigned_at=last,
    )


class TestEligibility:
    def test_online_accepting_and_connected_is_eligible(self) -> None:
        assert is_eligible(candidate(1))

    @pytest.mark.parametrize("status", [AgentStatus.busy, AgentStatus.offline])
    def test_busy_or_offline_is_not(self, status: AgentStatus) -> None:
        assert not is_eligible(candidate(1, status=status))

    def test_not_accepting_automatic_chats_is_not(self) -> None:
        assert not is_eligible(candidate(1, accept=False))

    def test_no_live_connection_is_not(self) -> None:
        assert not is_eligible(candidate(1, connected=False))


class TestRoundRobin:
    def test_nobody_eligible_means_nobody(self) -> None:
        assert next_agent([candidate(1, connected=False), candidate(2, accept=False)]) is None
        assert next_agent([]) is None

    def test_never_assigned_agents_go_first(self) -> None:
        chosen = next_agent([candidate(1, last=T0), candidate(2)])
        assert chosen is not None and chosen.id == UUID(int=2)

    def test_the_agent_who_waited_longest_goes_next(self) -> None:
        order = in_rotation_order(
            [
                candidate(1, last=T0 + timedelta(minutes=2)),
                candidate(2, last=T0),
                candidate(3, last=T0 + timedelta(minutes=1)),
            ]
        )
        assert [c.id.int for c in order] == [2, 3, 1]

    def test_ties_are_broken_by_id(self) -> None:
        order = in_rotation_order([candidate(3), candidate(1), candidate(2)])
        assert [c.id.int for c in order] == [1, 2, 3]
        order = in_rotation_order([candidate(5, last=T0), candidate(4, last=T0)])
        assert [c.id.int for c in order] == [4, 5]

    def test_ineligible_agents_never_get_a_turn(self) -> None:
        order = in_rotation_order(
            [candidate(1), candidate(2, status=AgentStatus.busy), candidate(3, connected=False)]
        )
        assert [c.id.int for c in order] == [1]


class TestEmail:
    def test_addresses_compare_trimmed_and_lower_cased(self) -> None:
        assert normalize_email("  Ada.Admin@Example.COM ") == "ada.admin@example.com"

    @pytest.mark.parametrize("bad", ["", "ada", "ada@", "@example.com", "a b@example.com", "a@b"])
    def test_non_addresses_are_refused(self, bad: str) -> None:
        with pytest.raises(ValueError):
            normalize_email(bad)
