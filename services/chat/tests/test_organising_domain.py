"""The pure rules of organising: label changes, read positions, waiting, priorities, wording."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from switchboard.chat.domain import system_messages as wording
from switchboard.chat.organising.domain.labels import plan_add, plan_remove, plan_replace
from switchboard.chat.organising.domain.priority import ConversationPriority, priority_changes
from switchboard.chat.organising.domain.reading import Mark, moves_forward, unread_rule
from switchboard.chat.organising.domain.waiting import waiting_since_after

T0 = datetime(2026, 1, 1, tzinfo=UTC)
A, B, C = (uuid.UUID(int=n) for n in (1, 2, 3))


def test_label_changes_add_and_remove_only_what_differs() -> None:
    assert plan_add({A}, A).changed is False
    assert plan_add({A}, B).added == (B,)
    assert plan_remove({A}, B).changed is False
    assert plan_remove({A, B}, B).removed == (B,)
    replaced = plan_replace({A, B}, [C, B, C])
    assert (replaced.added, replaced.removed) == ((C,), (A,))
    assert plan_replace({A}, [A]).changed is False


def test_a_read_position_only_moves_forward() -> None:
    here = Mark(at=T0, message_id=B)
    assert moves_forward(None, here)
    assert moves_forward(here, Mark(at=T0 + timedelta(seconds=1), message_id=A))
    assert moves_forward(here, Mark(at=T0, message_id=C))  # same time: by id
    assert not moves_forward(here, here)
    assert not moves_forward(here, Mark(at=T0 - timedelta(seconds=1), message_id=C))


def test_what_counts_as_unread_for_each_reader() -> None:
    assert unread_rule("agent").private_counts and not unread_rule("agent").system_counts
    assert not unread_rule("visitor").private_counts
    assert not unread_rule("visitor").system_counts


def test_waiting_starts_at_the_visitors_first_unanswered_message() -> None:
    later = T0 + timedelta(minutes=1)
    assert waiting_since_after(None, sender_type="visitor", private=False, at=T0) == T0
    assert waiting_since_after(T0, sender_type="visitor", private=False, at=later) == T0
    assert waiting_since_after(T0, sender_type="agent", private=True, at=later) == T0
    assert waiting_since_after(T0, sender_type="system", private=True, at=later) == T0
    assert waiting_since_after(T0, sender_type="agent", private=False, at=later) is None


def test_priorities_rank_in_the_queue_order() -> None:
    assert [p.rank for p in ConversationPriority] == [0, 1, 2, 3, 4]
    assert ConversationPriority.of_rank(3) is ConversationPriority.high
    assert ConversationPriority.of_rank(9) is ConversationPriority.urgent
    assert ConversationPriority.of_rank(-2) is ConversationPriority.none
    assert not priority_changes(ConversationPriority.low, ConversationPriority.low)


def test_history_wording() -> None:
    lan, minh = wording.AgentRef("Lan"), wording.AgentRef("Minh")
    assert wording.status_changed(by=lan, status="open", previous_status="pending") == (
        "Lan set the conversation to open"
    )
    assert wording.status_changed(
        by=wording.AgentRef(), status="snoozed", previous_status="open"
    ) == ("An agent snoozed the conversation")
    assert wording.assigned(agent=minh, by=None) == "Assigned to Minh"
    assert wording.assigned(agent=minh, by=minh, by_self=True) == "Minh took the conversation"
    assert wording.priority_changed(by=lan, priority="none") == "Lan removed the priority"
    assert wording.label_removed(by=lan, label="VIP") == "Lan removed the label VIP"
