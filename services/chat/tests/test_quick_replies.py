"""Quick replies (canned responses): saved per account with a unique shortcut, seen by the
account, teams or their author, found by the "/" search, sent filled for a conversation."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from switchboard.contracts.routing import (
    TeamCreated,
    TeamMemberAdded,
    TeamMemberRemoved,
)
from switchboard.core.auth import Role

from .conftest import ChatAccount, error_code

PATH = "/v1/canned-responses"


async def save(
    account: ChatAccount, headers: dict[str, str], expect: int = 201, **fields: Any
) -> dict[str, Any]:
    body = {"shortcut": "chao", "title": "Greeting", "content": "Xin chào!", **fields}
    response = await account.client.post(PATH, json=body, headers=headers)
    assert response.status_code == expect, response.text
    saved: dict[str, Any] = response.json()
    return saved


async def shortcuts(
    account: ChatAccount, headers: dict[str, str], q: str | None = None
) -> list[str]:
    params = {"q": q} if q is not None else {}
    response = await account.client.get(PATH, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["shortcut"] for item in response.json()["items"]]


async def new_team(account: ChatAccount, *members: uuid.UUID) -> str:
    team_id = uuid.uuid4()
    await account.deliver(
        TeamCreated(team_id=team_id, name="Billing", fallback_team_id=None), key=team_id
    )
    for agent_id in members:
        await account.deliver(TeamMemberAdded(team_id=team_id, agent_id=agent_id), key=team_id)
    return str(team_id)


async def told(account: ChatAccount, since: int = 0) -> dict[str, set[uuid.UUID]]:
    """The quick-reply events since the ``since``-th of the account: the agents each reaches
    (each event names agents only, and none is named twice)."""
    events = [e for e in (await account.events())[since:] if e.type.startswith("canned_")]
    heard: dict[str, set[uuid.UUID]] = {}
    for event in events:
        assert all(audience.startswith("agent:") for audience in event.audience), event
        heard.setdefault(event.type, set()).update(
            uuid.UUID(audience.removeprefix("agent:")) for audience in event.audience
        )
    everyone = [agent for agents in heard.values() for agent in agents]
    assert len(everyone) == len(set(everyone)), heard
    return heard


class TestSaving:
    async def test_an_admin_saves_an_account_reply_everyone_sees(
        self, chat_account: ChatAccount
    ) -> None:
        saved = await save(chat_account, chat_account.admin, shortcut="Chao", visibility="account")
        assert saved["shortcut"] == "chao"  # one shortcut whatever its case
        assert (saved["visibility"], saved["team_ids"], saved["owner_id"]) == (
            "account",
            [],
            str(chat_account.admin_id),
        )
        got = await chat_account.client.get(f"{PATH}/{saved['id']}", headers=chat_account.agent)
        assert got.status_code == 200 and got.json() == saved
        [event] = await chat_account.events("canned_response.created")
        assert event.audience == ["role:agent"]
        assert event.data["canned_response"] == {  # its files are read, not pushed
            key: value for key, value in saved.items() if key != "attachments"
        }

    async def test_a_shortcut_is_unique_in_the_account(
        self, chat_account: ChatAccount, chat_other_account: ChatAccount
    ) -> None:
        await save(chat_account, chat_account.agent, shortcut="chao")
        taken = await chat_account.client.post(
            PATH,
            json={"shortcut": "CHAO", "title": "t", "content": "c"},
            headers=chat_account.admin,
        )
        assert (taken.status_code, error_code(taken)) == (409, "shortcut_taken")
        # Another account has shortcuts of its own.
        await save(chat_other_account, chat_other_account.agent, shortcut="chao")
        # A change to a taken shortcut is refused too, and changes nothing.
        other = await save(chat_account, chat_account.agent, shortcut="bye")
        renamed = await chat_account.client.patch(
            f"{PATH}/{other['id']}",
            json={"shortcut": "chao", "title": "New"},
            headers=chat_account.agent,
        )
        assert (renamed.status_code, error_code(renamed)) == (409, "shortcut_taken")
        assert sorted(await shortcuts(chat_account, chat_account.agent)) == ["bye", "chao"]
        got = await chat_account.client.get(f"{PATH}/{other['id']}", headers=chat_account.agent)
        assert got.json()["title"] == "Greeting"

    async def test_a_longest_shortcut_with_a_dotted_capital_i_is_saved(
        self, chat_account: ChatAccount
    ) -> None:
        # Its lower case would be 33 characters: the column takes 32 (a 500, before).
        shortcut = "İ" + "x" * 31
        saved = await save(chat_account, chat_account.agent, shortcut=shortcut)
        assert saved["shortcut"] == shortcut
        assert await shortcuts(chat_account, chat_account.agent, q="/İx") == [shortcut]

    @pytest.mark.parametrize(
        ("fields", "code"),
        [
            ({"shortcut": "xin chao"}, "validation_error"),
            ({"shortcut": "/chao"}, "validation_error"),
            ({"shortcut": ""}, "validation_error"),
            ({"shortcut": "x" * 33}, "validation_error"),
            ({"title": "  "}, "validation_error"),
            ({"content": "x" * 10_001}, "validation_error"),  # empty is a reply of files
            ({"content": "Hi {{contact.nickname}}"}, "unknown_placeholder"),
            ({"content": "Hi {{visitor.name}}"}, "unknown_placeholder"),
            ({"title": "For {{agent.fullname}}"}, "unknown_placeholder"),
            ({"visibility": "team"}, "team_ids_required"),
            ({"visibility": "personal", "team_ids": [str(uuid.uuid4())]}, "team_not_found"),
        ],
    )
    async def test_bad_replies_are_refused_with_a_code_and_store_nothing(
        self, chat_account: ChatAccount, fields: dict[str, Any], code: str
    ) -> None:
        body = {"shortcut": "chao", "title": "Greeting", "content": "Xin chào", **fields}
        response = await chat_account.client.post(PATH, json=body, headers=chat_account.admin)
        assert response.status_code in (404, 422), response.text
        assert error_code(response) == code
        if code == "unknown_placeholder":
            assert "{{" in response.json()["error"]["message"]
            assert response.json()["error"]["details"]["placeholder"] in str(fields)
        assert await shortcuts(chat_account, chat_account.admin) == []

    async def test_a_known_team_named_by_a_personal_reply_is_refused(
        self, chat_account: ChatAccount
    ) -> None:
        team = await new_team(chat_account)
        response = await chat_account.client.post(
            PATH,
            json={"shortcut": "a", "title": "t", "content": "c", "team_ids": [team]},
            headers=chat_account.admin,
        )
        assert (response.status_code, error_code(response)) == (422, "team_ids_not_allowed")


class TestWhoManagesWhat:
    async def test_an_agent_saves_changes_and_deletes_his_personal_replies(
        self, chat_account: ChatAccount
    ) -> None:
        mine = await save(chat_account, chat_account.agent)
        assert mine["visibility"] == "personal"
        url = f"{PATH}/{mine['id']}"
        changed = await chat_account.client.patch(
            url, json={"content": "Chào {{contact.name}}"}, headers=chat_account.agent
        )
        assert changed.status_code == 200, changed.text
        assert (changed.json()["content"], changed.json()["title"]) == (
            "Chào {{contact.name}}",
            "Greeting",
        )
        deleted = await chat_account.client.delete(url, headers=chat_account.agent)
        assert deleted.status_code == 204
        gone = await chat_account.client.get(url, headers=chat_account.agent)
        assert (gone.status_code, error_code(gone)) == (404, "canned_response_not_found")
        kinds = [e.type for e in await chat_account.events()]
        assert kinds[-3:] == [
            "canned_response.created",
            "canned_response.updated",
            "canned_response.deleted",
        ]
        for event in await chat_account.events("canned_response.deleted"):
            assert event.audience == [f"agent:{chat_account.agent_id}"]
            assert event.data == {"canned_response_id": mine["id"]}

    async def test_an_agent_may_not_share_a_reply_nor_change_a_shared_one(
        self, chat_account: ChatAccount
    ) -> None:
        team = await new_team(chat_account, chat_account.agent_id)
        for fields in ({"visibility": "account"}, {"visibility": "team", "team_ids": [team]}):
            refused = await chat_account.client.post(
                PATH,
                json={"shortcut": "s", "title": "t", "content": "c", **fields},
                headers=chat_account.agent,
            )
            assert (refused.status_code, error_code(refused)) == (403, "shared_response_admin_only")
        shared = await save(chat_account, chat_account.admin, visibility="account")
        url = f"{PATH}/{shared['id']}"
        changed = await chat_account.client.patch(
            url, json={"title": "Mine"}, headers=chat_account.agent
        )
        assert (changed.status_code, error_code(changed)) == (403, "shared_response_admin_only")
        deleted = await chat_account.client.delete(url, headers=chat_account.agent)
        assert (deleted.status_code, error_code(deleted)) == (403, "shared_response_admin_only")
        mine = await save(chat_account, chat_account.agent, shortcut="mine")
        shared_by_me = await chat_account.client.patch(
            f"{PATH}/{mine['id']}", json={"visibility": "account"}, headers=chat_account.agent
        )
        assert (shared_by_me.status_code, error_code(shared_by_me)) == (
            403,
            "shared_response_admin_only",
        )
        supervisor = chat_account.headers(uuid.uuid4(), Role.supervisor)
        refused = await chat_account.client.delete(url, headers=supervisor)
        assert (refused.status_code, error_code(refused)) == (403, "shared_response_admin_only")
        assert sorted(await shortcuts(chat_account, chat_account.agent)) == ["chao", "mine"]
        again = await chat_account.client.get(url, headers=chat_account.agent)
        assert again.json()["title"] == "Greeting"

    async def test_an_admin_moves_a_reply_to_teams_and_each_hears_what_it_is_to_him(
        self, chat_account: ChatAccount
    ) -> None:
        await chat_account.announce_agent(chat_account.agent_id, role=Role.agent)
        member = await chat_account.announce_agent(role=Role.agent)
        supervisor = await chat_account.announce_agent(role=Role.supervisor)
        team = await new_team(chat_account, member)
        shared = await save(chat_account, chat_account.admin, visibility="account")
        before = len(await chat_account.events())
        moved = await chat_account.client.patch(
            f"{PATH}/{shared['id']}",
            json={"visibility": "team", "team_ids": [team]},
            headers=chat_account.admin,
        )
        assert moved.status_code == 200, moved.text
        assert moved.json()["team_ids"] == [team]
        # The agent outside the team loses it; the member, the supervisor and the admin keep it.
        assert await told(chat_account, since=before) == {
            "canned_response.deleted": {chat_account.agent_id},
            "canned_response.updated": {member, supervisor, chat_account.admin_id},
        }
        assert await shortcuts(chat_account, chat_account.agent) == []
        assert await shortcuts(chat_account, chat_account.headers(member)) == ["chao"]
        for q in ({}, {"q": "chao"}):  # a list and a search both show whom it is for
            listed = await chat_account.client.get(
                PATH, params=q, headers=chat_account.headers(member)
            )
            assert [item["team_ids"] for item in listed.json()["items"]] == [[team]]

    async def test_a_shared_reply_made_personal_is_deleted_for_everyone_else(
        self, chat_account: ChatAccount
    ) -> None:
        colleague = await chat_account.announce_agent(role=Role.agent)
        supervisor = await chat_account.announce_agent(role=Role.supervisor)
        member = await chat_account.announce_agent(role=Role.agent)
        team = await new_team(chat_account, member)
        for visibility, team_ids in (("account", []), ("team", [team])):
            shared = await save(
                chat_account,
                chat_account.admin,
                shortcut=visibility,
                visibility=visibility,
                team_ids=team_ids,
            )
            before = len(await chat_account.events())
            narrowed = await chat_account.client.patch(
                f"{PATH}/{shared['id']}",
                json={"visibility": "personal"},
                headers=chat_account.admin,
            )
            assert narrowed.status_code == 200, narrowed.text
            lost = {member, supervisor} | ({colleague} if visibility == "account" else set())
            assert await told(chat_account, since=before) == {
                "canned_response.deleted": lost,
                "canned_response.updated": {chat_account.admin_id},
            }

    async def test_fewer_teams_delete_it_for_their_members_only_and_more_create_it(
        self, chat_account: ChatAccount
    ) -> None:
        in_both, support_only, billing_only = [
            await chat_account.announce_agent(role=Role.agent) for _ in range(3)
        ]
        supervisor_in_billing = await chat_account.announce_agent(role=Role.supervisor)
        support = await new_team(chat_account, in_both, support_only)
        billing = await new_team(chat_account, in_both, billing_only, supervisor_in_billing)
        reply = await save(
            chat_account, chat_account.admin, visibility="team", team_ids=[support, billing]
        )
        url = f"{PATH}/{reply['id']}"

        before = len(await chat_account.events())
        fewer = await chat_account.client.patch(
            url, json={"team_ids": [support]}, headers=chat_account.admin
        )
        assert fewer.status_code == 200, fewer.text
        kept = {in_both, support_only, supervisor_in_billing, chat_account.admin_id}
        assert await told(chat_account, since=before) == {
            "canned_response.deleted": {billing_only},
            "canned_response.updated": kept,
        }

        before = len(await chat_account.events())
        everyone = await chat_account.client.patch(
            url, json={"visibility": "account"}, headers=chat_account.admin
        )
        assert everyone.status_code == 200, everyone.text
        assert await told(chat_account, since=before) == {
            "canned_response.updated": kept,
            "canned_response.created": {billing_only},
        }

    async def test_a_change_that_keeps_the_audience_is_one_update_to_it(
        self, chat_account: ChatAccount
    ) -> None:
        member = await chat_account.announce_agent(role=Role.agent)
        team = await new_team(chat_account, member)
        reply = await save(chat_account, chat_account.admin, visibility="team", team_ids=[team])
        before = len(await chat_account.events())
        changed = await chat_account.client.patch(
            f"{PATH}/{reply['id']}", json={"title": "Hello"}, headers=chat_account.admin
        )
        assert changed.status_code == 200, changed.text
        [event] = (await chat_account.events())[before:]
        assert event.type == "canned_response.updated"
        assert event.audience == [f"agent:{member}", "role:supervisor"]


class TestVisibility:
    async def test_each_sees_the_account_his_teams_and_his_own(
        self, chat_account: ChatAccount
    ) -> None:
        in_team, other = uuid.uuid4(), uuid.uuid4()
        support = await new_team(chat_account, in_team)
        billing = await new_team(chat_account)
        await save(chat_account, chat_account.admin, shortcut="everyone", visibility="account")
        await save(
            chat_account,
            chat_account.admin,
            shortcut="support",
            visibility="team",
            team_ids=[support],
        )
        await save(
            chat_account,
            chat_account.admin,
            shortcut="both",
            visibility="team",
            team_ids=[support, billing],
        )
        await save(
            chat_account,
            chat_account.admin,
            shortcut="billing",
            visibility="team",
            team_ids=[billing],
        )
        mine = await save(chat_account, chat_account.headers(in_team), shortcut="mine")
        await save(chat_account, chat_account.admin, shortcut="admins")
        supervisor = chat_account.headers(uuid.uuid4(), Role.supervisor)
        assert await shortcuts(chat_account, chat_account.headers(in_team)) == [
            "both",
            "everyone",
            "mine",
            "support",
        ]
        assert await shortcuts(chat_account, chat_account.headers(other)) == ["everyone"]
        assert await shortcuts(chat_account, supervisor) == [
            "billing",
            "both",
            "everyone",
            "support",
        ]
        assert await shortcuts(chat_account, chat_account.admin) == [
            "admins",
            "billing",
            "both",
            "everyone",
            "support",
        ]
        # Another's personal reply is answered as one that does not exist, even to an admin.
        for headers in (chat_account.admin, chat_account.headers(other)):
            response = await chat_account.client.get(f"{PATH}/{mine['id']}", headers=headers)
            assert (response.status_code, error_code(response)) == (
                404,
                "canned_response_not_found",
            )
            deleted = await chat_account.client.delete(f"{PATH}/{mine['id']}", headers=headers)
            assert deleted.status_code == 404

    async def test_another_accounts_reply_is_not_found(
        self, chat_account: ChatAccount, chat_other_account: ChatAccount
    ) -> None:
        theirs = await save(chat_other_account, chat_other_account.admin, visibility="account")
        url = f"{PATH}/{theirs['id']}"
        assert (await chat_account.client.get(url, headers=chat_account.admin)).status_code == 404
        changed = await chat_account.client.patch(
            url, json={"title": "x"}, headers=chat_account.admin
        )
        assert changed.status_code == 404
        assert (
            await chat_account.client.delete(url, headers=chat_account.admin)
        ).status_code == 404
        assert await shortcuts(chat_account, chat_account.admin) == []
        their_team = await new_team(chat_other_account)
        foreign = await chat_account.client.post(
            PATH,
            json={
                "shortcut": "t",
                "title": "t",
                "content": "c",
                "visibility": "team",
                "team_ids": [their_team],
            },
            headers=chat_account.admin,
        )
        assert (foreign.status_code, error_code(foreign)) == (404, "team_not_found")
        after = await chat_other_account.client.get(url, headers=chat_other_account.admin)
        assert after.json() == theirs

    async def test_joining_and_leaving_a_team_changes_what_an_agent_sees(
        self, chat_account: ChatAccount
    ) -> None:
        agent = uuid.uuid4()
        team = await new_team(chat_account)
        reply = await save(chat_account, chat_account.admin, visibility="team", team_ids=[team])
        url, headers = f"{PATH}/{reply['id']}", chat_account.headers(agent)
        assert (await chat_account.client.get(url, headers=headers)).status_code == 404
        await chat_account.deliver(TeamMemberAdded(team_id=team, agent_id=agent), key=team)
        assert (await chat_account.client.get(url, headers=headers)).status_code == 200
        assert await shortcuts(chat_account, headers) == ["chao"]
        await chat_account.deliver(TeamMemberRemoved(team_id=team, agent_id=agent), key=team)
        assert (await chat_account.client.get(url, headers=headers)).status_code == 404
        assert await shortcuts(chat_account, headers) == []


class TestSearch:
    async def test_shortcut_prefixes_come_first_then_titles_and_contents(
        self, chat_account: ChatAccount
    ) -> None:
        admin = chat_account.admin
        await save(
            chat_account,
            admin,
            shortcut="order",
            title="Order status",
            content="Đơn hàng đang giao",
        )
        await save(
            chat_account, admin, shortcut="thanks", title="Thanks for your order", content="Cảm ơn"
        )
        await save(
            chat_account,
            admin,
            shortcut="hi",
            title="Greeting",
            content="Xin chào, about your order?",
        )
        await save(chat_account, admin, shortcut="ord2", title="Other", content="Nothing")
        await save(chat_account, admin, shortcut="bye", title="Bye", content="Tạm biệt")
        assert await shortcuts(chat_account, admin, "/ord") == ["ord2", "order", "hi", "thanks"]
        assert await shortcuts(chat_account, admin, "or") == [
            "ord2",
            "order",
        ]  # short: shortcuts only
        assert await shortcuts(chat_account, admin, "ORDER") == ["order", "hi", "thanks"]
        assert await shortcuts(chat_account, admin, "zzz") == []

    async def test_accents_and_case_do_not_matter(self, chat_account: ChatAccount) -> None:
        admin = chat_account.admin
        await save(
            chat_account, admin, shortcut="chào", title="Lời chào", content="Xin chào quý khách"
        )
        await save(
            chat_account, admin, shortcut="giao", title="Giao hàng", content="Đơn hàng đã giao"
        )
        assert await shortcuts(chat_account, admin, "xin chao") == ["chào"]
        assert await shortcuts(chat_account, admin, "/chao") == ["chào"]
        assert await shortcuts(chat_account, admin, "DON HANG") == ["giao"]
        assert await shortcuts(chat_account, admin, "100%") == []  # a wildcard is a character

    async def test_the_search_shows_only_what_the_caller_sees_page_by_page(
        self, chat_account: ChatAccount, chat_other_account: ChatAccount
    ) -> None:
        for n in range(5):
            await save(chat_account, chat_account.admin, shortcut=f"ship{n}", visibility="account")
        await save(chat_account, chat_account.admin, shortcut="shipsecret")
        await save(
            chat_other_account, chat_other_account.admin, shortcut="shipx", visibility="account"
        )
        seen: list[str] = []
        cursor = None
        for _ in range(5):
            params: dict[str, Any] = {"q": "ship", "limit": 2}
            if cursor:
                params["cursor"] = cursor
            response = await chat_account.client.get(
                PATH, params=params, headers=chat_account.agent
            )
            assert response.status_code == 200, response.text
            page = response.json()
            seen += [item["shortcut"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == [f"ship{n}" for n in range(5)]

    async def test_pages_go_from_the_shortcuts_to_the_texts_without_a_gap_or_a_repeat(
        self, chat_account: ChatAccount
    ) -> None:
        admin = chat_account.admin
        for shortcut in ("hang3", "hang1", "hang2"):
            await save(chat_account, admin, shortcut=shortcut, content="Xin chào")
        for shortcut in ("c1", "a1", "b1"):
            await save(chat_account, admin, shortcut=shortcut, content="Đơn hàng của bạn")
        pages: list[list[str]] = []
        cursor = None
        while True:
            params: dict[str, Any] = {
                "q": "hang",
                "limit": 2,
                **({"cursor": cursor} if cursor else {}),
            }
            response = await chat_account.client.get(PATH, params=params, headers=admin)
            assert response.status_code == 200, response.text
            pages.append([item["shortcut"] for item in response.json()["items"]])
            cursor = response.json()["next_cursor"]
            if cursor is None:
                break
        assert pages == [["hang1", "hang2"], ["hang3", "a1"], ["b1", "c1"]]


class TestSending:
    async def test_a_reply_is_previewed_and_sent_filled_for_the_conversation(
        self, chat_account: ChatAccount
    ) -> None:
        await chat_account.announce_agent(chat_account.agent_id, name="Lan")
        _, visitor = await chat_account.create_visitor(name="Huyền", email="huyen@example.com")
        conversation = await chat_account.open_conversation(visitor, "hello")
        cid = conversation["id"]
        content = (
            "Chào {{contact.name}} ({{contact.email}}, {{contact.phone}}), {{agent.name}}"
            " of {{inbox.name}} here. Ref {{conversation.id}}"
        )
        reply = await save(chat_account, chat_account.admin, visibility="account", content=content)
        expected = f"Chào Huyền (huyen@example.com, ), Lan of Website here. Ref {cid}"
        preview = await chat_account.client.get(
            f"/v1/conversations/{cid}/canned-responses/{reply['id']}/preview",
            headers=chat_account.agent,
        )
        assert preview.status_code == 200, preview.text
        assert preview.json() == {
            "canned_response_id": reply["id"],
            "conversation_id": cid,
            "content": expected,
            "attachments": [],
        }
        sent = await chat_account.client.post(
            f"/v1/conversations/{cid}/messages",
            json={"canned_response_id": reply["id"]},
            headers=chat_account.agent,
        )
        assert sent.status_code == 201, sent.text
        assert (sent.json()["content"], sent.json()["sender_id"]) == (
            expected,
            str(chat_account.agent_id),
        )
        event = (await chat_account.events("message.created"))[-1]
        assert event.data["message"]["content"] == expected

    async def test_a_reply_the_sender_does_not_see_sends_nothing(
        self, chat_account: ChatAccount, chat_other_account: ChatAccount
    ) -> None:
        _, visitor = await chat_account.create_visitor()
        cid = (await chat_account.open_conversation(visitor, "hello"))["id"]
        admins_own = await save(chat_account, chat_account.admin, shortcut="own")
        theirs = await save(chat_other_account, chat_other_account.admin, visibility="account")
        for reply_id in (admins_own["id"], theirs["id"], str(uuid.uuid4())):
            sent = await chat_account.client.post(
                f"/v1/conversations/{cid}/messages",
                json={"canned_response_id": reply_id},
                headers=chat_account.agent,
            )
            assert (sent.status_code, error_code(sent)) == (404, "canned_response_not_found")
            preview = await chat_account.client.get(
                f"/v1/conversations/{cid}/canned-responses/{reply_id}/preview",
                headers=chat_account.agent,
            )
            assert (preview.status_code, error_code(preview)) == (404, "canned_response_not_found")
        both = await chat_account.client.post(
            f"/v1/conversations/{cid}/messages",
            json={"canned_response_id": admins_own["id"], "content": "hi"},
            headers=chat_account.admin,
        )
        assert (both.status_code, error_code(both)) == (422, "validation_error")
        assert await chat_account.count_messages_in(cid) == 1

    async def test_an_agent_outside_the_conversation_gets_no_preview(
        self, chat_account: ChatAccount
    ) -> None:
        _, visitor = await chat_account.create_visitor()
        cid = (await chat_account.open_conversation(visitor, "hello"))["id"]
        stranger = chat_account.headers(uuid.uuid4())
        reply = await save(chat_account, chat_account.admin, visibility="account")
        preview = await chat_account.client.get(
            f"/v1/conversations/{cid}/canned-responses/{reply['id']}/preview", headers=stranger
        )
        assert (preview.status_code, error_code(preview)) == (404, "conversation_not_found")
