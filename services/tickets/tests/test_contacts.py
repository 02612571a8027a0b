"""Every new visitor of chat becomes one contact, listed and read by the agents of its account."""

import uuid
from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import func, select

from switchboard.contracts.chat import ConversationCreated
from switchboard.core.bus import Bus
from switchboard.core.events import Envelope, utcnow
from switchboard.core.testing import a_conversation, eventually
from switchboard.tickets.events.handlers import handlers
from switchboard.tickets.store.models import Contact

from .conftest import visitor_created

Headers = Callable[..., dict[str, str]]


async def _contacts_of(app: FastAPI, visitor_id: uuid.UUID) -> int:
    async with app.state.runtime.db.session() as session:
        count: int = await session.scalar(
            select(func.count()).select_from(Contact).where(Contact.visitor_id == visitor_id)
        )
        return count


async def _published_for(redis: Redis, bus: Bus, visitor_id: uuid.UUID) -> list[Envelope]:
    entries = await redis.xrange(bus.stream("tickets"))
    events = [Bus.decode_entry("tickets", id_, fields).envelope for id_, fields in entries]
    return [e for e in events if e.data.get("visitor_id") == str(visitor_id)]


async def _make_contacts(app: FastAPI, account_id: uuid.UUID, names: list[str]) -> None:
    handle = handlers.handler(app.state.runtime)
    for name in names:
        await handle(visitor_created(account_id, name=name))


class TestRecordVisitor:
    async def test_a_twice_delivered_visitor_makes_one_contact_and_one_event(
        self, tickets_app: FastAPI, redis: Redis
    ) -> None:
        handle = handlers.handler(tickets_app.state.runtime)
        account_id = uuid.uuid4()
        visitor_id = uuid.uuid4()
        event = visitor_created(account_id, visitor_id=visitor_id, name="Ann", email="A@x.io")

        await handle(event)
        await handle(event)  # redelivered by the bus
        await handle(visitor_created(account_id, visitor_id=visitor_id))  # republished by chat

        assert await _contacts_of(tickets_app, visitor_id) == 1
        published = await _published_for(redis, tickets_app.state.runtime.bus, visitor_id)
        assert [e.type for e in published] == ["contact.created"]
        assert published[0].audience == []
        assert published[0].data | {"contact_id": None} == {
            "contact_id": None,
            "visitor_id": str(visitor_id),
            "name": "Ann",
            "email": "a@x.io",
            "phone": None,
        }

    async def test_other_chat_events_make_no_contact(self, tickets_app: FastAPI) -> None:
        handle = handlers.handler(tickets_app.state.runtime)
        visitor_id = uuid.uuid4()
        conversation = a_conversation(utcnow(), visitor_id=visitor_id)
        created = ConversationCreated(conversation=conversation)
        await handle(Envelope.of(created, account_id=uuid.uuid4(), key=conversation.id))
        assert await _contacts_of(tickets_app, visitor_id) == 0

    async def test_the_running_service_consumes_the_chat_stream(
        self, tickets_app: FastAPI, tickets_client: httpx.AsyncClient, tickets_headers: Headers
    ) -> None:
        account_id = uuid.uuid4()
        bus: Bus = tickets_app.state.runtime.bus
        await bus.publish("chat", visitor_created(account_id, name="From the stream"))

        async def listed() -> list[str]:
            response = await tickets_client.get("/v1/contacts", headers=tickets_headers(account_id))
            return [contact["name"] for contact in response.json()["items"]]

        assert await eventually(listed, what="the contact of the streamed visitor") == [
            "From the stream"
        ]


class TestListContacts:
    async def test_pages_run_newest_first_until_the_last(
        self, tickets_app: FastAPI, tickets_client: httpx.AsyncClient, tickets_headers: Headers
    ) -> None:
        account_id = uuid.uuid4()
        await _make_contacts(tickets_app, account_id, ["c1", "c2", "c3", "c4", "c5"])
        await _make_contacts(tickets_app, uuid.uuid4(), ["someone else"])

        names, cursor, pages = [], None, 0
        while True:
            params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            response = await tickets_client.get(
                "/v1/contacts", params=params, headers=tickets_headers(account_id)
            )
            assert response.status_code == 200
            body = response.json()
            names += [item["name"] for item in body["items"]]
            pages += 1
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert names == ["c5", "c4", "c3", "c2", "c1"]
        assert pages == 3

    async def test_search_matches_name_email_or_phone(
        self, tickets_app: FastAPI, tickets_client: httpx.AsyncClient, tickets_headers: Headers
    ) -> None:
        account_id = uuid.uuid4()
        handle = handlers.handler(tickets_app.state.runtime)
        await handle(visitor_created(account_id, name="Nguyễn Lan", email="lan@shop.vn"))
        await handle(visitor_created(account_id, name="Bob", phone="+84 90 123 4567"))
        await handle(visitor_created(account_id, name="100% Carol"))

        async def search(q: str) -> list[str]:
            response = await tickets_client.get(
                "/v1/contacts", params={"q": q}, headers=tickets_headers(account_id)
            )
            assert response.status_code == 200
            return [item["name"] for item in response.json()["items"]]

        assert await search("SHOP.VN") == ["Nguyễn Lan"]
        assert await search("90 123") == ["Bob"]
        assert await search("%") == ["100% Carol"]
        assert await search("nobody") == []

    @pytest.mark.parametrize(
        ("params", "status", "code"),
        [
            ({"limit": 0}, 422, "validation_error"),
            ({"cursor": "not-a-cursor"}, 400, "invalid_cursor"),
            ({"q": "a\x00b"}, 422, "invalid_text"),
            ({"cursor": "\x00"}, 422, "invalid_text"),
        ],
    )
    async def test_bad_paging_is_refused(
        self,
        tickets_client: httpx.AsyncClient,
        tickets_headers: Headers,
        params: dict[str, str | int],
        status: int,
        code: str,
    ) -> None:
        response = await tickets_client.get(
            "/v1/contacts", params=params, headers=tickets_headers(uuid.uuid4())
        )
        assert (response.status_code, response.json()["error"]["code"]) == (status, code)


class TestGetContact:
    async def test_an_agent_reads_a_contact_of_the_account_only(
        self, tickets_app: FastAPI, tickets_client: httpx.AsyncClient, tickets_headers: Headers
    ) -> None:
        account_id = uuid.uuid4()
        await _make_contacts(tickets_app, account_id, ["Dana"])
        listed = await tickets_client.get("/v1/contacts", headers=tickets_headers(account_id))
        contact = listed.json()["items"][0]

        mine = await tickets_client.get(
            f"/v1/contacts/{contact['id']}", headers=tickets_headers(account_id)
        )
        assert mine.status_code == 200
        assert mine.json() == contact

        theirs = await tickets_client.get(
            f"/v1/contacts/{contact['id']}", headers=tickets_headers(uuid.uuid4())
        )
        assert theirs.status_code == 404
        assert theirs.json()["error"]["code"] == "contact_not_found"

    @pytest.mark.parametrize("path", ["/v1/contacts", f"/v1/contacts/{uuid.uuid4()}"])
    async def test_an_agent_token_is_required(
        self, tickets_client: httpx.AsyncClient, tickets_headers: Headers, path: str
    ) -> None:
        anonymous = await tickets_client.get(path)
        assert anonymous.status_code == 401
        assert anonymous.json()["error"]["code"] == "unauthorized"
        as_visitor = tickets_headers(uuid.uuid4(), kind="visitor")
        visitor = await tickets_client.get(path, headers=as_visitor)
        assert visitor.status_code == 403
        assert visitor.json()["error"]["code"] == "forbidden"
