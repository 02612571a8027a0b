"""The pure rules of chat: the status machine and message content."""

from datetime import UTC, datetime, timedelta

import pytest

from switchboard.chat.domain.content import InvalidContent, clean_content
from switchboard.chat.domain.status import (
    ConversationStatus,
    StatusChangeRefused,
    plan_status_change,
    status_after_visitor_message,
    wake_is_due,
)

S = ConversationStatus
NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


def plan(
    current: S, target: S, until: datetime | None = None, current_until: datetime | None = None
):
    return plan_status_change(
        current=current,
        current_snoozed_until=current_until,
        target=target,
        snoozed_until=until,
        now=NOW,
    )


def refused(current: S, target: S, until: datetime | None = None, **kw: object) -> str:
    with pytest.raises(StatusChangeRefused) as caught:
        plan(current, target, until, **kw)  # type: ignore[arg-type]
    return caught.value.refusal.value


class TestPlanStatusChange:
    @pytest.mark.parametrize(
        ("current", "target"),
        [
            (S.open, S.pending),
            (S.open, S.resolved),
            (S.pending, S.open),
            (S.pending, S.resolved),
            (S.snoozed, S.open),
            (S.snoozed, S.pending),
            (S.snoozed, S.resolved),
            (S.resolved, S.open),
        ],
    )
    def test_allowed_moves_clear_the_snooze(self, current: S, target: S) -> None:
        change = plan(current, target, current_until=LATER if current is S.snoozed else None)
        assert (change.status, change.previous_status, change.snoozed_until) == (
            target,
            current,
            None,
        )

    @pytest.mark.parametrize("current", [S.open, S.pending])
    def test_snooze_keeps_its_time(self, current: S) -> None:
        assert plan(current, S.snoozed, LATER).snoozed_until == LATER

    @pytest.mark.parametrize("target", [S.pending, S.snoozed])
    def test_a_resolved_conversation_can_only_be_reopened(self, target: S) -> None:
        until = LATER if target is S.snoozed else None
        assert refused(S.resolved, target, until) == "invalid_transition"

    @pytest.mark.parametrize("status", [S.open, S.pending, S.resolved])
    def test_the_same_status_is_refused(self, status: S) -> None:
        assert refused(status, status) == "status_unchanged"

    def test_snoozing_again_until_the_same_time_is_refused(self) -> None:
        assert refused(S.snoozed, S.snoozed, LATER, current_until=LATER) == "status_unchanged"

    def test_snoozing_again_until_another_time_moves_the_wake_up(self) -> None:
        later_still = LATER + timedelta(hours=1)
        change = plan(S.snoozed, S.snoozed, later_still, current_until=LATER)
        assert change.snoozed_until == later_still

    def test_a_snooze_needs_a_time(self) -> None:
        assert refused(S.open, S.snoozed) == "snoozed_until_required"

    @pytest.mark.parametrize("until", [NOW, NOW - timedelta(seconds=1)])
    def test_a_snooze_needs_a_future_time(self, until: datetime) -> None:
        assert refused(S.open, S.snoozed, until) == "snoozed_until_in_past"

    @pytest.mark.parametrize("target", [S.open, S.pending, S.resolved])
    def test_other_statuses_refuse_a_snooze_time(self, target: S) -> None:
        assert refused(S.snoozed, target, LATER, current_until=LATER) == (
            "snoozed_until_not_allowed"
        )


class TestVisitorMessage:
    @pytest.mark.parametrize("status", [S.resolved, S.snoozed])
    def test_reopens_resolved_and_snoozed(self, status: S) -> None:
        assert status_after_visitor_message(status) is S.open

    @pytest.mark.parametrize("status", [S.open, S.pending])
    def test_leaves_open_and_pending(self, status: S) -> None:
        assert status_after_visitor_message(status) is None


class TestWake:
    def test_due_when_still_snoozed_until_that_time(self) -> None:
        assert wake_is_due(status=S.snoozed, snoozed_until=LATER, scheduled_for=LATER)

    def test_not_due_after_a_new_snooze(self) -> None:
        later_still = LATER + timedelta(minutes=5)
        assert not wake_is_due(status=S.snoozed, snoozed_until=later_still, scheduled_for=LATER)

    @pytest.mark.parametrize("status", [S.open, S.pending, S.resolved])
    def test_not_due_once_no_longer_snoozed(self, status: S) -> None:
        assert not wake_is_due(status=status, snoozed_until=None, scheduled_for=LATER)


class TestContent:
    def test_strips_surrounding_space(self) -> None:
        assert clean_content("  hello \n", max_length=10) == "hello"

    @pytest.mark.parametrize("raw", ["", "   ", "\n\t"])
    def test_refuses_blank(self, raw: str) -> None:
        with pytest.raises(InvalidContent):
            clean_content(raw, max_length=10)

    def test_limit_counts_characters_after_stripping(self) -> None:
        assert clean_content(" " + "é" * 10 + " ", max_length=10) == "é" * 10
        with pytest.raises(InvalidContent):
            clean_content("x" * 11, max_length=10)

    def test_refuses_nul(self) -> None:
        with pytest.raises(InvalidContent):
            clean_content("a\x00b", max_length=10)
