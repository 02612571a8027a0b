"""The widget's side: a visitor registers, opens a conversation, writes and reads."""

from switchboard.core.auth import principal_from_token
from switchboard.core.events import Audience

from .conftest import ChatAccount, error_code


async def test_a_visitor_gets_a_token_for_the_widgets_inbox(chat_account: ChatAccount) -> None:
    visitor_id, headers = await chat_account.create_visitor(name="Huyền", email="h@example.com")
    token = headers["Authorization"].removeprefix("Bearer ")
    principal = principal_from_token(chat_account.service.settings, token)
    assert principal.kind == "visitor"
    assert str(principal.id) == visitor_id
    assert principal.account_id == chat_account.id
    assert str(principal.inbox_id) == chat_account.inbox["id"]
    [event] = [e for e in await chat_account.events("visitor.created") if e.key == visitor_id]
    assert event.data == {
        "visitor_id": visitor_id,
        "inbox_id": chat_account.inbox["id"],
        "name": "Huyền",
        "email": "h@example.com",
        "phone": None,
    }


async def test_a_visitor_needs_no_body(chat_account: ChatAccount) -> None:
    token = chat_account.inbox["widget_token"]
    response = await chat_account.client.post(f"/v1/public/inboxes/{token}/visitors")
    assert response.status_code == 201


async def test_an_unknown_widget_token_is_404(chat_account: ChatAccount) -> None:
    response = await chat_account.client.post("/v1/public/inboxes/nope/visitors", json={})
    assert response.status_code == 404
    assert error_code(response) == "inbox_not_found"


async def test_visitor_fields_are_validated(chat_account: ChatAccount) -> None:
    token = chat_account.inbox["widget_token"]
    for body in ({"email": "not-an-email"}, {"name": 5}, {"age": 3}, {"phone": "call me"}):
        response = await chat_account.client.post(f"/v1/public/inboxes/{token}/visitors", json=body)
        assert response.status_code == 422, body
        assert error_code(response) == "validation_error"


async def test_a_visitor_opens_a_conversation_with_a_first_message(
    chat_account: ChatAccount,
) -> None:
    visitor_id, visitor = await chat_account.create_visitor()
    conversation = await chat_account.open_conversation(visitor, "  Hello, anyone there?  ")
    assert conversation["status"] == "open"
    assert conversation["visitor_id"] == visitor_id
    assert conversation["inbox_id"] == chat_account.inbox["id"]
    assert conversation["assignee"] is None
    assert conversation["last_message_at"] is not None

    response = await chat_account.client.get(
        f"/v1/public/conversations/{conversation['id']}/messages", headers=visitor
    )
    [message] = response.json()["items"]
    assert message["content"] == "Hello, anyone there?"
    assert (message["sender_type"], message["sender_id"]) == ("visitor", visitor_id)

    events = [e for e in await chat_account.events() if e.key == conversation["id"]]
    assert [e.type for e in events] == ["conversation.created", "message.created"]
    created = events[0]
    assert created.audience == [
        Audience.inbox(chat_account.inbox["id"]),
        Audience.visitor(visitor_id),
        "role:supervisor",
    ]
    assert created.data["conversation"]["id"] == conversation["id"]
    assert created.data["conversation"]["status"] == "open"


async def test_a_conversation_without_content_has_no_message(chat_account: ChatAccount) -> None:
    _, visitor = await chat_account.create_visitor()
    conversation = await chat_account.open_conversation(visitor)
    assert conversation["last_message_at"] is None
    response = await chat_account.client.get(
        f"/v1/public/conversations/{conversation['id']}/messages", headers=visitor
    )
    assert response.json() == {"items": [], "next_cursor": None}


async def test_a_visitor_lists_only_its_own_conversations(chat_account: ChatAccount) -> None:
    _, first = await chat_account.create_visitor()
    _, second = await chat_account.create_visitor()
    mine = [await chat_account.open_conversation(first, f"m{n}") for n in range(3)]
    await chat_account.open_conversation(second, "not yours")
    response = await chat_account.client.get("/v1/public/conversations", headers=first)
    ids = [c["id"] for c in response.json()["items"]]
    assert ids == [c["id"] for c in reversed(mine)]


async def test_another_visitors_conversation_is_404(chat_account: ChatAccount) -> None:
    _, owner = await chat_account.create_visitor()
    _, stranger = await chat_account.create_visitor()
    conversation = await chat_account.open_conversation(owner, "private matters")
    path = f"/v1/public/conversations/{conversation['id']}/messages"
    read = await chat_account.client.get(path, headers=stranger)
    write = await chat_account.client.post(path, json={"content": "hi"}, headers=stranger)
    assert (read.status_code, write.status_code) == (404, 404)
    assert error_code(read) == error_code(write) == "conversation_not_found"
    assert await chat_account.count_messages_in(conversation["id"]) == 1


async def test_agent_tokens_cannot_use_the_visitor_paths(chat_account: ChatAccount) -> None:
    response = await chat_account.client.get("/v1/public/conversations", headers=chat_account.agent)
    assert response.status_code == 403


async def test_visitor_tokens_cannot_use_the_agent_paths(chat_account: ChatAccount) -> None:
    _, visitor = await chat_account.create_visitor()
    conversation = await chat_account.open_conversation(visitor, "hi")
    response = await chat_account.client.get(
        f"/v1/conversations/{conversation['id']}/messages", headers=visitor
    )
    assert response.status_code == 403


async def test_private_notes_never_reach_the_visitor(chat_account: ChatAccount) -> None:
    visitor_id, visitor = await chat_account.create_visitor()
    conversation = await chat_account.open_conversation(visitor, "My order is late")
    path = f"/v1/conversations/{conversation['id']}/messages"
    note = await chat_account.client.post(
        path,
        json={"content": "VIP customer, refund quickly", "private": True},
        headers=chat_account.agent,
    )
    reply = await chat_account.client.post(
        path, json={"content": "Sorry! Looking into it."}, headers=chat_account.agent
    )
    assert note.status_code == reply.status_code == 201
    assert note.json()["private"] is True

    public = await chat_account.client.get(
        f"/v1/public/conversations/{conversation['id']}/messages", headers=visitor
    )
    contents = [m["content"] for m in public.json()["items"]]
    assert contents == ["Sorry! Looking into it.", "My order is late"]

    agents_view = await chat_account.client.get(path, headers=chat_account.agent)
    assert [m["content"] for m in agents_view.json()["items"]] == [
        "Sorry! Looking into it.",
        "VIP customer, refund quickly",
        "My order is late",
    ]

    by_id = {
        e.data["message"]["id"]: e
        for e in await chat_account.events("message.created")
        if e.key == conversation["id"]
    }
    note_event, reply_event = by_id[note.json()["id"]], by_id[reply.json()["id"]]
    assert Audience.visitor(visitor_id) not in note_event.audience
    assert not any(a.startswith("visitor:") for a in note_event.audience)
    assert note_event.data["message"]["private"] is True
    assert Audience.visitor(visitor_id) in reply_event.audience
    assert note_event.data["message"] == note.json()


async def test_a_visitor_message_reopens_a_resolved_conversation(chat_account: ChatAccount) -> None:
    visitor_id, visitor = await chat_account.create_visitor()
    conversation = await chat_account.open_conversation(visitor, "thanks, bye")
    resolved = await chat_account.client.patch(
        f"/v1/conversations/{conversation['id']}",
        json={"status": "resolved"},
        headers=chat_account.agent,
    )
    assert resolved.json()["status"] == "resolved"

    response = await chat_account.client.post(
        f"/v1/public/conversations/{conversation['id']}/messages",
        json={"content": "wait, one more thing"},
        headers=visitor,
    )
    assert response.status_code == 201
    current = await chat_account.client.get(
        f"/v1/conversations/{conversation['id']}", headers=chat_account.agent
    )
    assert current.json()["status"] == "open"

    changes = [
        e
        for e in await chat_account.events("conversation.status_changed")
        if e.key == conversation["id"]
    ]
    assert [(e.data["previous_status"], e.data["status"]) for e in changes] == [
        ("open", "resolved"),
        ("resolved", "open"),
    ]
    assert Audience.visitor(visitor_id) in changes[-1].audience


async def test_an_agent_message_does_not_reopen(chat_account: ChatAccount) -> None:
    _, visitor = await chat_account.create_visitor()
    conversation = await chat_account.open_conversation(visitor, "hi")
    await chat_account.client.patch(
        f"/v1/conversations/{conversation['id']}",
        json={"status": "resolved"},
        headers=chat_account.agent,
    )
    await chat_account.client.post(
        f"/v1/conversations/{conversation['id']}/messages",
        json={"content": "closing note"},
        headers=chat_account.agent,
    )
    current = await chat_account.client.get(
        f"/v1/conversations/{conversation['id']}", headers=chat_account.agent
    )
    assert current.json()["status"] == "resolved"
