"""The pure rules of quick replies: placeholders, who sees and manages, the "/" search."""

from __future__ import annotations

import uuid

import pytest

from switchboard.chat.errors import AUDIENCE_REFUSALS
from switchboard.chat.quick_replies.domain.audience import (
    AudienceRefusal,
    AudienceRefused,
    Colleague,
    Manager,
    Reach,
    Seen,
    Visibility,
    check_audience,
    check_manages,
    reach_of_change,
)
from switchboard.chat.quick_replies.domain.placeholders import (
    Placeholder,
    UnknownPlaceholder,
    fill,
    placeholders_in,
)
from switchboard.chat.quick_replies.domain.search import reply_search
from switchboard.chat.quick_replies.domain.shortcuts import shortcut_of


class TestPlaceholders:
    def test_known_placeholders_are_found_once_each_in_order(self) -> None:
        text = "Chào {{contact.name}}, {{ agent.name }} here. {{contact.name}} {{inbox.name}}"
        assert placeholders_in(text) == [
            Placeholder.contact_name,
            Placeholder.agent_name,
            Placeholder.inbox_name,
        ]

    @pytest.mark.parametrize("name", ["contact.nickname", "visitor.name", "agent", "foo.bar.baz"])
    def test_an_unknown_placeholder_is_refused_by_name(self, name: str) -> None:
        with pytest.raises(UnknownPlaceholder) as refused:
            placeholders_in(f"Hello {{{{{name}}}}}!")
        assert refused.value.name == name
        assert f"{{{{{name}}}}}" in str(refused.value)

    def test_a_contact_attribute_is_refused_saying_they_come_later(self) -> None:
        with pytest.raises(UnknownPlaceholder) as refused:
            placeholders_in("{{contact.order_id}}")
        assert "custom attributes" in str(refused.value)

    @pytest.mark.parametrize("text", ["{{", "}}", "{x}", "{{ }}", "{ {contact.name} }", "a {{1x}}"])
    def test_braces_that_are_no_placeholder_are_text(self, text: str) -> None:
        assert placeholders_in(text) == []
        assert fill(text, {}) == text

    def test_fill_puts_each_value_in_and_nothing_for_an_unknown_value(self) -> None:
        values = {
            Placeholder.contact_name: "Huyền",
            Placeholder.contact_email: None,
            Placeholder.conversation_id: "c-1",
        }
        text = "Chào {{contact.name}} ({{contact.email}}) #{{ conversation.id }}: {{agent.name}}"
        assert fill(text, values) == "Chào Huyền () #c-1: "


class TestAudience:
    admin = Manager(id=uuid.uuid4(), admin=True)
    agent = Manager(id=uuid.uuid4(), admin=False)

    def test_admins_manage_every_visibility(self) -> None:
        for visibility in Visibility:
            check_manages(self.admin, visibility)

    def test_an_agent_manages_only_personal_replies(self) -> None:
        check_manages(self.agent, Visibility.personal)
        for visibility in (Visibility.account, Visibility.team):
            with pytest.raises(AudienceRefused) as refused:
                check_manages(self.agent, visibility)
            assert refused.value.refusal is AudienceRefusal.shared_response_admin_only

    def test_team_replies_name_teams_and_the_others_none(self) -> None:
        team = uuid.uuid4()
        assert check_audience(Visibility.team, [team, team]) == [team]
        with pytest.raises(AudienceRefused) as refused:
            check_audience(Visibility.team, [])
        assert refused.value.refusal is AudienceRefusal.team_ids_required
        for visibility in (Visibility.account, Visibility.personal):
            assert check_audience(visibility, []) == []
            with pytest.raises(AudienceRefused) as refused:
                check_audience(visibility, [team])
            assert refused.value.refusal is AudienceRefusal.team_ids_not_allowed

    def test_a_change_of_audience_is_lost_kept_or_gained_for_each(self) -> None:
        support, billing, owner = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        member = Colleague.of(uuid.uuid4(), "agent", [support])
        other = Colleague.of(uuid.uuid4(), "agent")
        supervisor = Colleague.of(uuid.uuid4(), "supervisor")
        author = Colleague.of(owner, "admin")
        everyone = [member, other, supervisor, author]
        account = Seen(Visibility.account, owner, frozenset())
        team = Seen(Visibility.team, owner, frozenset({support, billing}))
        fewer = Seen(Visibility.team, owner, frozenset({billing}))
        personal = Seen(Visibility.personal, owner, frozenset())
        ids = [colleague.id for colleague in everyone]

        assert reach_of_change(everyone, account, team) == Reach(
            lost=[other.id], kept=[member.id, supervisor.id, owner], gained=[]
        )
        assert reach_of_change(everyone, team, fewer) == Reach(
            lost=[member.id], kept=[supervisor.id, owner], gained=[]
        )
        assert reach_of_change(everyone, account, personal) == Reach(
            lost=ids[:3], kept=[owner], gained=[]
        )
        assert reach_of_change(everyone, personal, account) == Reach(
            lost=[], kept=[owner], gained=ids[:3]
        )

    def test_an_agent_of_a_role_not_known_yet_counts_as_seeing_every_team(self) -> None:
        unknown = Colleague.of(uuid.uuid4(), None)
        assert unknown.every_team
        before = Seen(Visibility.account, uuid.uuid4(), frozenset())
        after = Seen(Visibility.team, before.owner_id, frozenset({uuid.uuid4()}))
        assert reach_of_change([unknown], before, after) == Reach(
            lost=[], kept=[unknown.id], gained=[]
        )

    def test_every_refusal_has_an_error_of_its_own_code(self) -> None:
        codes = {refusal.value: AUDIENCE_REFUSALS[refusal].code for refusal in AudienceRefusal}
        assert codes == {refusal.value: refusal.value for refusal in AudienceRefusal}
        assert AUDIENCE_REFUSALS[AudienceRefusal.shared_response_admin_only].status_code == 403
        assert AUDIENCE_REFUSALS[AudienceRefusal.team_ids_required].status_code == 422


class TestSearch:
    def test_the_composers_slash_and_spaces_are_not_searched(self) -> None:
        assert reply_search(" /chao ") == reply_search("chao")
        assert reply_search("/") is None
        assert reply_search("  ") is None
        assert reply_search(None) is None

    def test_a_short_text_searches_shortcuts_only(self) -> None:
        short, longer = reply_search("/ch"), reply_search("cha")
        assert short is not None and not short.in_text
        assert longer is not None and longer.in_text

    def test_shortcuts_are_kept_in_lower_case(self) -> None:
        assert shortcut_of(" Chào ") == "chào"

    def test_a_shortcut_in_lower_case_is_as_long_as_written(self) -> None:
        # "İ".lower() is "i" and a combining dot: two characters, not a shortcut's.
        assert shortcut_of("İstanbul") == "İstanbul"
        assert len(shortcut_of("İ" * 32)) == 32
