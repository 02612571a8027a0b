"""Structured messages: each kind sent, stored, read and told as sent; bad payloads refused
with the field named and nothing stored; a visitor sends a text or a location only."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.chat.domain.kinds import summary
from switchboard.contracts.messages import PAYLOADS, LocationPayload, VoucherPayload

from .conftest import ChatAccount, error_code

CARD = {
    "title": "  Summer sale ",
    "text": "Everything at half price",
    "image_url": "https://shop.example/sale.png",
    "buttons": [
        {"type": "url", "title": "Open", "url": "https://shop.example/sale"},
        {"type": "postback", "title": "Not now", "value": "later"},
    ],
}
PRODUCT = {
    "id": "p-42",
    "sku": "TEE-RED-M",
    "name": "Red tee",
    "price": "199000",
    "currency": "VND",
    "url": "https://shop.example/p/42",
}
VOUCHER = {
    "code": "SUMMER-20",
    "title": "20% off",
    "discount": {"type": "percent", "percent": 20},
    "min_spend": {"amount": "50.00", "currency": "EUR"},
    "expires_at": "2027-01-31T23:00:00+07:00",
}
ORDER = {
    "number": "A-1001",
    "status": "shipped",
    "items": [
        {"name": "Red tee", "quantity": 2, "price": "9.50"},
        {"name": "Cap", "quantity": 1.0, "price": "5"},
    ],
    "total": "24.00",
    "currency": "EUR",
}
LOCATION = {"latitude": 21.0285, "longitude": 105.8542, "name": "Hoàn Kiếm"}
SENT: dict[str, dict[str, Any]] = {
    "card": CARD,
    "product": PRODUCT,
    "voucher": VOUCHER,
    "order": ORDER,
    "location": LOCATION,
}
# The line of content each kind is stored with (what a reader without its view shows).
CONTENT = {
    "card": "Summer sale",
    "product": "Red tee · 199000 VND",
    "voucher": "20% off · SUMMER-20",
    "order": "#A-1001 · shipped · 24.00 EUR",
    "location": "Hoàn Kiếm",
}


async def conversation_with_visitor(account: ChatAccount) -> tuple[str, dict[str, str]]:
    _, visitor = await account.create_visitor()
    conversation = await account.open_conversation(visitor)
    return conversation["id"], visitor


def as_read(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as every read shows it: validated (trimmed, in UTC), every field present."""
    return PAYLOADS[kind].model_validate(payload).model_dump(mode="json")  # type: ignore[index]


@pytest.mark.parametrize("kind", sorted(SENT))
async def test_each_kind_is_stored_read_and_told_as_sent(
    chat_account: ChatAccount, kind: str
) -> None:
    cid, visitor = await conversation_with_visitor(chat_account)
    body = {"kind": kind, "payload": SENT[kind], "client_message_id": f"k-{kind}"}
    response = await chat_account.client.post(
        f"/v1/conversations/{cid}/messages", json=body, headers=chat_account.agent
    )
    assert response.status_code == 201, response.text
    sent = response.json()
    assert sent["kind"] == kind
    assert sent["payload"] == as_read(kind, SENT[kind])
    assert sent["content"] == CONTENT[kind]
    assert sent["deleted_at"] is None

    for path, headers in (
        (f"/v1/conversations/{cid}/messages", chat_account.agent),
        (f"/v1/public/conversations/{cid}/messages", visitor),
    ):
        [read] = (await chat_account.client.get(path, headers=headers)).json()["items"]
        assert read == sent
    [event] = [e for e in await chat_account.events("message.created") if e.key == cid]
    assert event.data["message"] == sent

    again = await chat_account.client.post(
        f"/v1/conversations/{cid}/messages", json=body, headers=chat_account.agent
    )
    assert (again.status_code, again.json()) == (200, sent)


async def test_a_voucher_reads_its_expiry_in_utc_and_an_order_its_whole_quantities(
    chat_account: ChatAccount,
) -> None:
    assert as_read("voucher", VOUCHER)["expires_at"] == "2027-01-31T16:00:00Z"
    assert [item["quantity"] for item in as_read("order", ORDER)["items"]] == [2, 1]
    assert as_read("card", CARD)["title"] == "Summer sale"


async def test_a_text_is_a_text_with_or_without_its_kind(chat_account: ChatAccount) -> None:
    cid, _ = await conversation_with_visitor(chat_account)
    for body in ({"content": "hello"}, {"kind": "text", "content": "hello again"}):
        response = await chat_account.client.post(
            f"/v1/conversations/{cid}/messages", json=body, headers=chat_account.agent
        )
        assert response.status_code == 201, response.text
        assert (response.json()["kind"], response.json()["payload"]) == ("text", None)


async def test_a_visitor_sends_a_location_but_no_other_kind(chat_account: ChatAccount) -> None:
    cid, visitor = await conversation_with_visitor(chat_account)
    path = f"/v1/public/conversations/{cid}/messages"
    located = await chat_account.client.post(
        path, json={"kind": "location", "payload": LOCATION}, headers=visitor
    )
    assert located.status_code == 201, located.text
    assert (located.json()["sender_type"], located.json()["kind"]) == ("visitor", "location")
    for kind in ("card", "product", "voucher", "order"):
        refused = await chat_account.client.post(
            path, json={"kind": kind, "payload": SENT[kind]}, headers=visitor
        )
        assert refused.status_code == 422, (kind, refused.text)
        assert error_code(refused) == "validation_error"
        [detail] = refused.json()["error"]["details"]
        assert detail["type"] == "invalid_kind"
        assert "text, location" in detail["msg"]
    assert await chat_account.count_messages_in(cid) == 1


def _with(kind: str, **changes: Any) -> dict[str, Any]:
    return {"kind": kind, "payload": {**SENT[kind], **changes}}


# A bad body and the field its error names (a part of the error's loc).
BAD = [
    (_with("card", title="   "), "title"),
    (_with("card", title="x" * 201), "title"),
    (_with("card", image_url="ftp://shop.example/a.png"), "image_url"),
    (_with("card", image_url="https://shop.example/a b.png"), "image_url"),
    (
        _with("card", buttons=[{"type": "url", "title": "Open", "url": "https://a.example"}] * 4),
        "buttons",
    ),
    (_with("card", buttons=[{"type": "url", "title": "Open"}]), "url"),
    (_with("card", buttons=[{"type": "call", "title": "Call", "value": "1"}]), "buttons"),
    (_with("card", buttons=[{"type": "postback", "title": "Go", "value": "a\u0000b"}]), "value"),
    (_with("card", subtitle="no such field"), "subtitle"),
    (_with("product", price="12,50"), "price"),
    (_with("product", price=12.5), "price"),
    (_with("product", price="-1"), "price"),
    (_with("product", currency="eur"), "currency"),
    (_with("product", id=None), "id"),
    (_with("voucher", discount={"type": "percent", "percent": 0}), "percent"),
    (_with("voucher", discount={"type": "percent", "percent": 101}), "percent"),
    (_with("voucher", discount={"type": "percent", "percent": "20"}), "percent"),
    (_with("voucher", discount={"type": "amount", "amount": "5"}), "currency"),
    (_with("voucher", discount={"type": "free"}), "discount"),
    (_with("voucher", expires_at=1767225600), "expires_at"),
    (_with("voucher", expires_at="2027-01-31T23:00:00"), "expires_at"),
    (_with("voucher", expires_at="0001-01-01T00:00:00+01:00"), "expires_at"),
    (_with("voucher", code="TWO WORDS"), "code"),
    (_with("order", items=[]), "items"),
    (_with("order", items=[{"name": "Tee", "quantity": 0, "price": "1"}]), "quantity"),
    (_with("order", items=[{"name": "Tee", "quantity": 1.5, "price": "1"}]), "quantity"),
    (_with("order", items=[{"name": "Tee", "quantity": True, "price": "1"}]), "quantity"),
    (_with("order", items=[{"name": "Tee", "quantity": 1, "price": "1"}] * 51), "items"),
    (_with("order", status=""), "status"),
    (_with("location", latitude=90.5), "latitude"),
    (_with("location", longitude=-180.5), "longitude"),
    (_with("location", latitude="21.0"), "latitude"),
    (_with("location", latitude=True), "latitude"),
    (_with("location", address="x" * 501), "address"),
    ({"kind": "card", "content": "a card without its payload"}, "payload"),
    ({"kind": "location", "payload": None}, "payload"),
    ({"content": "a text", "payload": LOCATION}, "payload"),
]


@pytest.mark.parametrize(("body", "field"), BAD)
async def test_a_bad_payload_is_refused_naming_its_field_and_stores_nothing(
    chat_account: ChatAccount, body: dict[str, Any], field: str
) -> None:
    cid, _ = await conversation_with_visitor(chat_account)
    response = await chat_account.client.post(
        f"/v1/conversations/{cid}/messages", json=body, headers=chat_account.agent
    )
    assert response.status_code == 422, response.text
    assert error_code(response) in ("validation_error", "invalid_text")
    named = [detail["loc"] for detail in response.json()["error"]["details"]]
    assert any(field in loc for loc in named), named
    assert await chat_account.count_messages_in(cid) == 0


@pytest.mark.parametrize("kind", ["sticker", 7, None, ["card"]])
async def test_a_kind_nobody_knows_is_refused(chat_account: ChatAccount, kind: Any) -> None:
    cid, _ = await conversation_with_visitor(chat_account)
    response = await chat_account.client.post(
        f"/v1/conversations/{cid}/messages",
        json={"kind": kind, "payload": CARD},
        headers=chat_account.agent,
    )
    assert response.status_code == 422, response.text
    [detail] = response.json()["error"]["details"]
    assert detail["type"] == "invalid_kind"
    assert await chat_account.count_messages_in(cid) == 0


class TestSummary:
    def test_a_location_without_a_name_says_its_address_else_its_place(self) -> None:
        at = {"latitude": 10.5, "longitude": -20.25}
        assert summary(LocationPayload.model_validate(at)) == "10.5, -20.25"
        named = {**at, "address": "1 Lê Lợi"}
        assert summary(LocationPayload.model_validate(named)) == "1 Lê Lợi"

    def test_an_amount_off_voucher_says_its_title_and_code(self) -> None:
        voucher = {**VOUCHER, "discount": {"type": "amount", "amount": "5", "currency": "EUR"}}
        assert summary(VoucherPayload.model_validate(voucher)) == "20% off · SUMMER-20"
