"""A visitor who floods is slowed, alone: visitors minted per address and per widget,
conversations and messages per visitor (429 rate_limited with Retry-After)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from switchboard.chat.app import create_app
from switchboard.core.settings import Settings
from switchboard.core.testing import bearer, serving

from .conftest import ChatAccount, ChatService, error_code

STRICT = {
    "rate_limit_visitors_per_ip": "4/minute",
    "rate_limit_visitors_per_widget": "6/minute",
    "rate_limit_conversations_per_visitor": "2/minute",
    "rate_limit_messages_per_visitor": "5/minute",
}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def strict_chat(sb_settings: Settings) -> AsyncIterator[ChatService]:
    settings = sb_settings.model_copy(update=STRICT)
    app = create_app(settings)
    async with serving(app) as client:
        yield ChatService(app=app, client=client, settings=settings)


@pytest_asyncio.fixture(loop_scope="session")
async def shop(strict_chat: ChatService) -> ChatAccount:
    account = ChatAccount(service=strict_chat)
    account.inbox = await account.create_inbox()
    return account


async def register(shop: ChatAccount, address: str) -> httpx.Response:
    return await shop.client.post(
        f"/v1/public/inboxes/{shop.inbox['widget_token']}/visitors",
        json={},
        headers={"X-Forwarded-For": address},
    )


def refused(response: httpx.Response) -> bool:
    return (
        response.status_code == 429
        and error_code(response) == "rate_limited"
        and int(response.headers["retry-after"]) >= 1
    )


async def test_visitors_are_minted_per_address_and_per_widget(shop: ChatAccount) -> None:
    first = [await register(shop, "203.0.113.1") for _ in range(5)]
    assert [r.status_code for r in first[:4]] == [201] * 4
    assert refused(first[4])
    # Another address goes on, until the widget's own limit (6 a minute) is spent.
    second = [await register(shop, "203.0.113.2") for _ in range(3)]
    assert [r.status_code for r in second] == [201, 201, 429]
    assert refused(second[2])


async def test_a_flooding_visitor_is_slowed_and_the_next_one_is_not(shop: ChatAccount) -> None:
    shop.inbox = await shop.create_inbox("Fresh widget")  # a widget of its own
    flooder = bearer((await register(shop, "198.51.100.1")).json()["token"])
    calm = bearer((await register(shop, "198.51.100.2")).json()["token"])

    opened = [
        await shop.client.post("/v1/public/conversations", json={}, headers=flooder)
        for _ in range(3)
    ]
    assert [r.status_code for r in opened] == [201, 201, 429]
    cid = opened[0].json()["id"]
    sends = [
        await shop.client.post(
            f"/v1/public/conversations/{cid}/messages", json={"content": f"{n}"}, headers=flooder
        )
        for n in range(6)
    ]
    assert [r.status_code for r in sends] == [201] * 5 + [429]
    assert refused(sends[5])
    assert await shop.count_messages_in(cid) == 5  # the refused one was not stored

    mine = await shop.client.post("/v1/public/conversations", json={"content": "hi"}, headers=calm)
    assert mine.status_code == 201
    reply = await shop.client.post(
        f"/v1/public/conversations/{mine.json()['id']}/messages",
        json={"content": "still here"},
        headers=calm,
    )
    assert reply.status_code == 201
