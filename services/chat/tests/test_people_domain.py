"""The pure rules of the people: the signature, which notifications are made, their words."""

from __future__ import annotations

from switchboard.chat.domain.signature import signed
from switchboard.chat.notifications.domain.kinds import (
    NotificationKind,
    assignment_notifies,
    wanted,
    words,
)
from switchboard.contracts.values import NotificationPreferences


class TestSignature:
    def test_it_goes_under_the_content_after_a_blank_line(self) -> None:
        assert signed("Done.  ", "Bao\nAcme", private=False) == "Done.\n\nBao\nAcme"

    def test_never_on_a_private_note_nor_without_one(self) -> None:
        assert signed("note", "Bao", private=True) == "note"
        assert signed("reply", None, private=False) == "reply"
        assert signed("reply", "", private=False) == "reply"


class TestKinds:
    def test_each_kind_may_be_turned_off(self) -> None:
        assert list(NotificationPreferences.model_fields) == [
            kind.value for kind in NotificationKind
        ]

    def test_a_muted_kind_is_not_wanted(self) -> None:
        muted = NotificationPreferences(mention=False, sla_breached=False).muted()
        assert muted == ["mention", "sla_breached"]
        assert not wanted(NotificationKind.mention, muted)
        assert wanted(NotificationKind.assigned, muted)
        assert NotificationPreferences.muting(muted).muted() == muted

    def test_an_assignment_he_took_himself_is_not_news(self) -> None:
        assert [
            r for r in ("auto", "manual", "offer", "transfer", "timeout") if assignment_notifies(r)
        ] == [
            "auto",
            "manual",
            "timeout",
        ]

    def test_the_words_name_who_did_it(self) -> None:
        assert words(NotificationKind.mention, "Lan") == "Lan mentioned you in a private note"
        assert (
            words(NotificationKind.transfer, None) == "Someone asks you to take over a conversation"
        )
        assert words(NotificationKind.assigned, None) == "A conversation was assigned to you"
        assert words(NotificationKind.sla_breached, "Lan") == "A conversation breached its SLA"
