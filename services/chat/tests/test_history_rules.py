"""The pure rules of the history chat writes for routing: system messages, participants."""

import pytest

from switchboard.chat.domain import system_messages as say
from switchboard.chat.domain.participants import ParticipantKind, plan_added, plan_removed

LAN, MINH, NOBODY = say.AgentRef("Lan"), say.AgentRef("Minh"), say.AgentRef(None)
BILLING, SOME_TEAM = say.TeamRef("Billing"), say.TeamRef(None)
P, M = ParticipantKind.participant, ParticipantKind.monitor


# Each line of history as the rules write it: known names, unknown ones, a team.
WORDINGS = [
    (
        say.transfer_requested(requester=LAN, target=MINH),
        "Lan asked to transfer this conversation to Minh",
    ),
    (
        say.transfer_requested(requester=LAN, target=BILLING),
        "Lan asked to transfer this conversation to team Billing",
    ),
    (
        say.transfer_requested(requester=NOBODY, target=NOBODY),
        "An agent asked to transfer this conversation to an agent",
    ),
    (
        say.transfer_requested(requester=LAN, target=SOME_TEAM),
        "Lan asked to transfer this conversation to a team",
    ),
    (say.participant_joined(say.AgentRef("  ")), "An agent joined the conversation"),
    (
        say.transfer_accepted(requester=LAN, target=MINH, by=MINH),
        "Minh accepted the transfer from Lan",
    ),
    (
        say.transfer_accepted(requester=LAN, target=BILLING, by=None),
        "The transfer to team Billing was accepted",
    ),
    (
        say.transfer_rejected(requester=LAN, target=MINH, by=MINH, reason=None),
        "Minh rejected the transfer from Lan",
    ),
    (
        say.transfer_rejected(requester=LAN, target=SOME_TEAM, by=None, reason=None),
        "The transfer to a team was rejected",
    ),
    (say.transfer_expired(target=MINH), "The transfer to Minh expired without an answer"),
    (say.participant_joined(MINH), "Minh joined the conversation"),
    (say.participant_left(MINH), "Minh left"),
]


class TestWording:
    @pytest.mark.parametrize(("written", "expected"), WORDINGS)
    def test_each_line_names_who_and_what(self, written: str, expected: str) -> None:
        assert written == expected

    def test_a_rejection_carries_its_reason_cleaned(self) -> None:
        assert (
            say.transfer_rejected(
                requester=LAN, target=MINH, by=MINH, reason="  busy with\na VIP  "
            )
            == "Minh rejected the transfer from Lan: busy with a VIP"
        )
        for bare in ("rejected", "Declined", "  ", ""):
            assert (
                say.transfer_rejected(requester=LAN, target=MINH, by=MINH, reason=bare)
                == "Minh rejected the transfer from Lan"
            )
        long = say.transfer_rejected(requester=LAN, target=MINH, by=MINH, reason="x" * 1000)
        assert long.endswith("…")
        assert len(long) == len("Minh rejected the transfer from Lan: ") + say.REASON_MAX_LENGTH


class TestParticipantChanges:
    @pytest.mark.parametrize(
        ("current", "kind", "after", "announce"),
        [
            (None, P, P, "joined"),
            (None, M, M, None),
            (M, P, P, "joined"),
            (P, M, M, "left"),
        ],
    )
    def test_an_addition(self, current, kind, after, announce) -> None:
        change = plan_added(current, kind)
        assert (change.changed, change.kind, change.announce) == (True, after, announce)

    @pytest.mark.parametrize("kind", [P, M])
    def test_adding_the_same_kind_again_changes_nothing(self, kind) -> None:
        change = plan_added(kind, kind)
        assert (change.changed, change.kind, change.announce) == (False, kind, None)

    def test_a_removal(self) -> None:
        left = plan_removed(P, P)
        assert (left.changed, left.kind, left.announce) == (True, None, "left")
        silent = plan_removed(M, M)
        assert (silent.changed, silent.kind, silent.announce) == (True, None, None)

    @pytest.mark.parametrize(("current", "kind"), [(None, P), (None, M), (M, P), (P, M)])
    def test_a_removal_of_another_kind_or_of_nobody_changes_nothing(self, current, kind) -> None:
        change = plan_removed(current, kind)
        assert (change.changed, change.kind, change.announce) == (False, current, None)
