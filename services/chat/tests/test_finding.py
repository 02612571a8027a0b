"""Finding conversations: filters that combine, orders, an accent-insensitive ranked search,
the sidebar's counts in one query, and a visitor's other conversations, each only over what
the caller may see."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from switchboard.chat.domain.finding import (
    ConversationFilter,
    FindingRefusal,
    FindingRefused,
    TimeRange,
)
from switchboard.contracts.routing import AssignmentCreated
from switchboard.core.pagination import cursor_of

from .conftest import ChatAccount, error_code


async def _ids(account: ChatAccount, query: str = "", headers: Any = None) -> list[str]:
    """Every id the list answers for ``query``, page after page (two at a time, so the
    cursor of every order is walked)."""
    ids: list[str] = []
    cursor = None
    while True:
        page = f"{query}&limit=2" + (f"&cursor={cursor}" if cursor else "")
        response = await account.client.get(
            f"/v1/conversations?{page}", headers=headers or account.admin
        )
        assert response.status_code == 200, response.text
        body = response.json()
        ids += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return ids


async def _assign(account: ChatAccount, conversation: dict[str, Any], agent: uuid.UUID) -> None:
    await account.deliver(
        AssignmentCreated(
            conversation_id=conversation["id"],
            inbox_id=conversation["inbox_id"],
            agent_id=agent,
            previous_agent_id=None,
            reason="manual",
        ),
        key=conversation["id"],
    )


async def _opened(account: ChatAccount, count: int, **visitor: Any) -> list[dict[str, Any]]:
    _, headers = await account.create_visitor(**visitor)
    return [await account.open_conversation(headers, f"message {n}") for n in range(count)]


async def test_a_search_is_accent_insensitive_and_finds_names_messages_and_ids(
    chat_account: ChatAccount,
) -> None:
    [by_name] = await _opened(chat_account, 1, name="Nguyễn Thị Huyền")
    [by_email] = await _opened(chat_account, 1, email="lan.pham@example.vn")
    _, quiet = await chat_account.create_visitor(name="Minh")
    by_text = await chat_account.open_conversation(quiet, "Cho mình hỏi về đơn hàng ĐH-1234")
    unrelated = await chat_account.open_conversation(quiet, "Xin chào")

    assert await _ids(chat_account, "q=huyen") == [by_name["id"]]
    assert await _ids(chat_account, "q=NGUYEN thi") == [by_name["id"]]
    assert await _ids(chat_account, "q=LAN.PHAM") == [by_email["id"]]
    assert await _ids(chat_account, "q=don hang dh-12") == [by_text["id"]]
    assert await _ids(chat_account, "q=xin chao") == [unrelated["id"]]
    assert await _ids(chat_account, f"q={unrelated['id']}") == [unrelated["id"]]
    assert await _ids(chat_account, "q=nobody-writes-this") == []


async def test_a_search_ranks_the_id_then_the_visitor_then_messages(
    chat_account: ChatAccount,
) -> None:
    [named] = await _opened(chat_account, 1, name="Hoa Tran")
    _, other = await chat_account.create_visitor(name="Someone")
    mentioned = await chat_account.open_conversation(other, "Hoa Tran gave me your address")
    newest = await chat_account.open_conversation(other, "Did Hoa Tran call you?")

    # The visitor's match first though it is older; messages after, newest activity first.
    assert await _ids(chat_account, "q=hoa tran") == [named["id"], newest["id"], mentioned["id"]]


async def test_wildcards_in_a_search_are_taken_literally(chat_account: ChatAccount) -> None:
    _, visitor = await chat_account.create_visitor()
    percent = await chat_account.open_conversation(visitor, "a discount of 50% today")
    await chat_account.open_conversation(visitor, "a discount of 50 dollars")

    assert await _ids(chat_account, "q=50%25") == [percent["id"]]
    assert await _ids(chat_account, "q=_") == []


async def test_filters_combine(chat_account: ChatAccount) -> None:
    second_inbox = await chat_account.create_inbox("Shop")
    mine, others = await _opened(chat_account, 2, name="An")
    await _assign(chat_account, mine, chat_account.agent_id)
    await chat_account.client.patch(
        f"/v1/conversations/{others['id']}", json={"status": "pending"}, headers=chat_account.admin
    )
    base = f"inbox_id={chat_account.inbox['id']}&visitor_id={mine['visitor_id']}"

    assert await _ids(chat_account, base) == [others["id"], mine["id"]]
    assert await _ids(chat_account, f"{base}&status=open") == [mine["id"]]
    assert await _ids(chat_account, f"{base}&assignee={chat_account.agent_id}") == [mine["id"]]
    assert await _ids(chat_account, f"{base}&assignee=unassigned") == [others["id"]]
    assert await _ids(chat_account, f"{base}&assignee=unassigned&status=open") == []
    assert await _ids(chat_account, f"inbox_id={second_inbox['id']}") == []
    agent_mine = await _ids(chat_account, f"{base}&assignee=me", headers=chat_account.agent)
    assert agent_mine == [mine["id"]]


async def test_time_ranges_and_orders(chat_account: ChatAccount) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    first, second, third = await _opened(chat_account, 3, name="Order")
    visitor = f"visitor_id={first['visitor_id']}"
    # The first is written to last: the most recent activity.
    response = await chat_account.client.post(
        f"/v1/conversations/{first['id']}/messages",
        json={"content": "still there?"},
        headers=chat_account.admin,
    )
    assert response.status_code == 201, response.text

    assert await _ids(chat_account, visitor) == [first["id"], third["id"], second["id"]]
    newest = [third["id"], second["id"], first["id"]]
    assert await _ids(chat_account, f"{visitor}&sort=newest") == newest
    assert await _ids(chat_account, f"{visitor}&sort=oldest") == newest[::-1]
    after = second["created_at"].replace("+00:00", "Z")
    assert await _ids(chat_account, f"{visitor}&sort=oldest&created_after={after}") == [
        second["id"],
        third["id"],
    ]
    assert await _ids(chat_account, f"{visitor}&created_before={before.isoformat()[:26]}Z") == []
    updated = await _ids(chat_account, f"{visitor}&updated_after={response.json()['created_at']}")
    assert updated == [first["id"]]


async def test_a_range_that_ends_before_it_starts_is_refused(chat_account: ChatAccount) -> None:
    response = await chat_account.client.get(
        "/v1/conversations?created_after=2026-02-01T00:00:00Z&created_before=2026-01-01T00:00:00Z",
        headers=chat_account.admin,
    )
    # One code, one status: 400, as analytics' ranges answer it.
    assert (response.status_code, error_code(response)) == (400, "invalid_range")
    with pytest.raises(FindingRefused) as refused:
        ConversationFilter(updated=TimeRange(datetime(2026, 2, 1), datetime(2026, 1, 1))).checked()
    assert refused.value.refusal is FindingRefusal.invalid_range


async def test_an_agent_finds_only_what_he_may_see(chat_account: ChatAccount) -> None:
    hidden_inbox = await chat_account.create_inbox("Hidden")
    [seen] = await _opened(chat_account, 1, name="Visible Vy")
    _, hidden_visitor = await chat_account.create_visitor(hidden_inbox, name="Visible Vy")
    hidden = await chat_account.open_conversation(hidden_visitor, "hi")

    assert await _ids(chat_account, "q=visible vy", headers=chat_account.agent) == [seen["id"]]
    assert set(await _ids(chat_account, "q=visible vy")) == {seen["id"], hidden["id"]}
    assert await _ids(chat_account, f"q={hidden['id']}", headers=chat_account.agent) == []


async def test_the_sidebar_counts_every_list_in_one_answer(chat_account: ChatAccount) -> None:
    inbox = await chat_account.create_inbox("Counted")
    await chat_account.add_member(chat_account.agent_id, inbox["id"])
    _, visitor = await chat_account.create_visitor(inbox)
    conversations = [await chat_account.open_conversation(visitor, "hi") for _ in range(4)]
    await _assign(chat_account, conversations[0], chat_account.agent_id)
    await _assign(chat_account, conversations[1], uuid.uuid4())
    resolved = await chat_account.client.patch(
        f"/v1/conversations/{conversations[3]['id']}",
        json={"status": "resolved"},
        headers=chat_account.admin,
    )
    assert resolved.status_code == 200, resolved.text

    counts = await chat_account.client.get(
        f"/v1/conversations/counts?inbox_id={inbox['id']}", headers=chat_account.agent
    )
    assert counts.status_code == 200, counts.text
    assert counts.json() == {
        "mine": 1,
        "unassigned": 1,
        "all": 3,
        "participating": 0,
        "starred": 0,
        "unread": 3,  # the visitors' "hi"
        "unreplied": 3,
        "by_status": {"open": 3, "pending": 0, "snoozed": 0, "resolved": 1},
    }
    resolved_counts = await chat_account.client.get(
        f"/v1/conversations/counts?inbox_id={inbox['id']}&status=resolved",
        headers=chat_account.agent,
    )
    assert resolved_counts.json()["all"] == 1
    assert resolved_counts.json()["unassigned"] == 1


async def test_the_previous_conversations_of_a_visitor(
    chat_account: ChatAccount, chat_other_account: ChatAccount
) -> None:
    first, second, third = await _opened(chat_account, 3, name="Returning")
    path = f"/v1/conversations/{second['id']}/previous"

    response = await chat_account.client.get(path, headers=chat_account.agent)
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [third["id"], first["id"]]
    stranger = chat_account.headers(uuid.uuid4())
    refused = await chat_account.client.get(path, headers=stranger)
    assert (refused.status_code, error_code(refused)) == (404, "conversation_not_found")
    other = await chat_account.client.get(path, headers=chat_other_account.admin)
    assert other.status_code == 404


async def _put(account: ChatAccount, path: str, body: Any = None) -> None:
    response = await account.client.put(path, json=body, headers=account.agent)
    assert response.status_code in (200, 204), response.text


async def test_labels_priority_stars_reads_and_replies_filter_and_show_in_the_list(
    chat_account: ChatAccount,
) -> None:
    label = await chat_account.client.post(
        "/v1/labels",
        json={"name": "Giao hàng", "colour": "#1e88e5"},
        headers=chat_account.admin,
    )
    assert label.status_code == 201, label.text
    labelled, urgent, read, answered = await _opened(chat_account, 4, name="Filtered")
    visitor = f"visitor_id={labelled['visitor_id']}"
    base = f"/v1/conversations/{labelled['id']}"
    await _put(chat_account, f"{base}/labels/{label.json()['id']}")
    await _put(chat_account, f"{base}/star")
    await _put(chat_account, f"/v1/conversations/{urgent['id']}/priority", {"priority": "urgent"})
    marked = await chat_account.client.post(
        f"/v1/conversations/{read['id']}/read", json={}, headers=chat_account.agent
    )
    assert marked.status_code == 200, marked.text
    reply = await chat_account.client.post(
        f"/v1/conversations/{answered['id']}/messages",
        json={"content": "Dạ shop xem ngay"},
        headers=chat_account.agent,
    )
    assert reply.status_code == 201, reply.text
    agent = chat_account.agent

    assert await _ids(chat_account, f"{visitor}&label_id={label.json()['id']}") == [labelled["id"]]
    assert await _ids(chat_account, f"{visitor}&priority=urgent") == [urgent["id"]]
    assert await _ids(chat_account, f"{visitor}&starred=true", headers=agent) == [labelled["id"]]
    assert await _ids(chat_account, f"{visitor}&starred=true") == []  # the admin's own stars
    unread = set(await _ids(chat_account, f"{visitor}&unread=true", headers=agent))
    # Answering is not reading: only the one he marked read is read.
    assert unread == {labelled["id"], urgent["id"], answered["id"]}
    assert await _ids(chat_account, f"{visitor}&unreplied=false") == [answered["id"]]
    by_priority = await _ids(chat_account, f"{visitor}&sort=priority")
    assert by_priority[0] == urgent["id"]
    waiting = await _ids(chat_account, f"{visitor}&sort=longest_waiting")
    assert waiting == [labelled["id"], urgent["id"], read["id"], answered["id"]]

    page = await chat_account.client.get(f"/v1/conversations?{visitor}", headers=agent)
    items = {item["id"]: item for item in page.json()["items"]}
    assert items[labelled["id"]]["labels"] == [
        {"id": label.json()["id"], "name": "Giao hàng", "colour": "#1e88e5"}
    ]
    assert items[labelled["id"]]["starred"] is True
    assert items[urgent["id"]]["starred"] is False
    assert items[urgent["id"]]["unread_count"] == 1
    assert items[read["id"]]["unread_count"] == 0
    for item in items.values():  # a list item says what the conversation's read says
        detail = await chat_account.client.get(f"/v1/conversations/{item['id']}", headers=agent)
        assert {k: v for k, v in detail.json().items() if k != "participants"} == item
    counts = await chat_account.client.get(f"/v1/conversations/counts?{visitor}", headers=agent)
    assert counts.json()["starred"] == 1
    assert counts.json()["unread"] == 3
    assert counts.json()["unreplied"] == 3


@pytest.mark.parametrize(
    ("sort", "values"),
    [
        ("priority", [2**40, "2026-01-01T00:00:00+00:00", str(uuid.uuid4())]),
        ("last_activity", ["0001-01-01T00:00:00+01:00", str(uuid.uuid4())]),
    ],
)
async def test_a_made_up_cursor_the_database_would_refuse_is_a_400(
    chat_account: ChatAccount, sort: str, values: list[Any]
) -> None:
    await _opened(chat_account, 1)
    response = await chat_account.client.get(
        "/v1/conversations",
        params={"sort": sort, "cursor": cursor_of(values)},
        headers=chat_account.admin,
    )
    assert (response.status_code, error_code(response)) == (400, "invalid_cursor")


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
async def test_a_moment_outside_the_years_in_utc_is_a_422(
    chat_account: ChatAccount, moment: str
) -> None:
    response = await chat_account.client.get(
        "/v1/conversations", params={"created_after": moment}, headers=chat_account.admin
    )
    assert (response.status_code, error_code(response)) == (422, "validation_error")
