"""Inboxes: created by admins, read by their member agents and by supervisors, scoped to the
account."""

import uuid

from switchboard.chat.service.inboxes import create_inbox
from switchboard.core.auth import Role

from .conftest import ChatAccount, error_code


async def test_an_admin_creates_an_inbox_with_a_widget_token(chat_account: ChatAccount) -> None:
    inbox = await chat_account.create_inbox("Support")
    assert inbox["name"] == "Support"
    assert len(inbox["widget_token"]) >= 32
    path = f"/v1/inboxes/{inbox['id']}"
    response = await chat_account.client.get(path, headers=chat_account.agent)
    assert response.status_code == 404  # not a member (yet)
    assert error_code(response) == "inbox_not_found"
    await chat_account.add_member(chat_account.agent_id, inbox["id"])
    response = await chat_account.client.get(path, headers=chat_account.agent)
    assert response.status_code == 200
    assert response.json() == inbox
    [event] = [e for e in await chat_account.events("inbox.created") if e.key == inbox["id"]]
    assert event.data == {"inbox_id": inbox["id"], "name": "Support"}
    assert event.audience == []


async def test_an_agent_cannot_create_an_inbox(chat_account: ChatAccount) -> None:
    response = await chat_account.client.post(
        "/v1/inboxes", json={"name": "x"}, headers=chat_account.agent
    )
    assert response.status_code == 403
    supervisor = chat_account.headers(uuid.uuid4(), Role.supervisor)
    response = await chat_account.client.post("/v1/inboxes", json={"name": "x"}, headers=supervisor)
    assert response.status_code == 403


async def test_no_token_is_401(chat_account: ChatAccount) -> None:
    response = await chat_account.client.get("/v1/inboxes")
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


async def test_inbox_body_is_validated(chat_account: ChatAccount) -> None:
    for body in ({"name": "   "}, {"name": "x" * 201}, {"name": "x", "color": "red"}, {}):
        response = await chat_account.client.post(
            "/v1/inboxes", json=body, headers=chat_account.admin
        )
        assert response.status_code == 422, body
        assert error_code(response) == "validation_error"


async def test_another_accounts_inbox_is_404(
    chat_account: ChatAccount, chat_other_account: ChatAccount
) -> None:
    response = await chat_account.client.get(
        f"/v1/inboxes/{chat_other_account.inbox['id']}", headers=chat_account.agent
    )
    assert response.status_code == 404
    assert error_code(response) == "inbox_not_found"


async def _listed(chat_account: ChatAccount, headers: dict[str, str]) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        response = await chat_account.client.get("/v1/inboxes", params=params, headers=headers)
        assert response.status_code == 200
        page = response.json()
        seen += [inbox["id"] for inbox in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


async def test_inboxes_are_listed_in_pages(chat_account: ChatAccount) -> None:
    created = [await chat_account.create_inbox(f"Inbox {n}") for n in range(4)]
    supervisor = chat_account.headers(uuid.uuid4(), Role.supervisor)
    seen = await _listed(chat_account, supervisor)
    assert len(seen) == 5 == len(set(seen))
    assert seen[-1] == chat_account.inbox["id"]  # newest first
    # An agent lists the inboxes he is a member of.
    assert await _listed(chat_account, chat_account.agent) == [chat_account.inbox["id"]]
    await chat_account.add_member(chat_account.agent_id, created[1]["id"])
    assert await _listed(chat_account, chat_account.agent) == [
        created[1]["id"],
        chat_account.inbox["id"],
    ]


async def test_the_cli_creates_an_inbox_without_http(chat_account: ChatAccount) -> None:
    runtime = chat_account.service.runtime
    inbox = await create_inbox(runtime, account_id=chat_account.id, name="From the CLI")
    response = await chat_account.client.get(f"/v1/inboxes/{inbox.id}", headers=chat_account.admin)
    assert response.json()["widget_token"] == inbox.widget_token
    assert any(e.key == str(inbox.id) for e in await chat_account.events("inbox.created"))


async def test_the_service_is_ready_with_its_migrations_at_head(chat_account: ChatAccount) -> None:
    response = await chat_account.client.get("/readyz")
    assert response.status_code == 200, response.text
