"""The kinds of message and what each carries besides text: one validated model per kind.

A message is ``text`` (its content only) or structured: a ``card``, a ``product``, a
``voucher``, an ``order`` or a ``location``, whose ``payload`` is the model of its kind. The
send bodies of chat's REST API and of the gateway's ``send_message`` are unions discriminated
by ``kind`` (absent: ``text``), built from the ``*Message`` parts here; reads and events show
``kind`` and ``payload`` (null for text). Visitors send ``text`` and ``location`` only.

Amounts are decimal text (``"12.50"``): exact, whatever the currency's minor unit.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from switchboard.contracts.inputs import IntegerRules, Timestamp
from switchboard.contracts.text import TextRules

__all__ = [
    "KINDS",
    "PAYLOADS",
    "VISITOR_KINDS",
    "AmountOff",
    "CardMessage",
    "CardPayload",
    "LocationMessage",
    "LocationPayload",
    "MessageKind",
    "MessagePayload",
    "Money",
    "OrderItem",
    "OrderMessage",
    "OrderPayload",
    "PercentOff",
    "PostbackButton",
    "ProductMessage",
    "ProductPayload",
    "StructuredMessage",
    "UrlButton",
    "VoucherMessage",
    "VoucherPayload",
    "kind_of",
]

MessageKind = Literal["text", "card", "product", "voucher", "order", "location"]
KINDS: Final[tuple[MessageKind, ...]] = ("text", "card", "product", "voucher", "order", "location")
VISITOR_KINDS: Final[frozenset[MessageKind]] = frozenset({"text", "location"})
MAX_BUTTONS = 3
MAX_ORDER_ITEMS = 50


def _words(max_length: int) -> TextRules:
    """A text people read: not blank, trimmed."""
    return TextRules(max_length=max_length, blank=False, trim=True)


Title = Annotated[str, _words(200)]
Body = Annotated[str, _words(2000)]
Address = Annotated[str, _words(500)]
# Printable ASCII without spaces: what a URL, a code or a reference is written with.
Url = Annotated[str, TextRules(max_length=2048, pattern=r"^https?://[!-~]+$")]
Reference = Annotated[str, TextRules(max_length=100, pattern=r"^[!-~]+$")]
Code = Annotated[str, TextRules(max_length=64, pattern=r"^[!-~]+$")]
Currency = Annotated[
    str, TextRules(pattern=r"^[A-Z]{3}$"), Field(description="ISO 4217, upper case (EUR, VND)")
]
Amount = Annotated[
    str,
    TextRules(pattern=r"^(0|[1-9][0-9]{0,11})(\.[0-9]{1,4})?$"),
    Field(description="A decimal amount as text, at most 4 decimals (12.50)", examples=["12.50"]),
]


def _degrees(limit: int) -> Any:
    return Field(strict=True, ge=-limit, le=limit, allow_inf_nan=False)


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UrlButton(_Part):
    """A button that opens a page."""

    type: Literal["url"]
    title: Annotated[str, _words(100)]
    url: Url


class PostbackButton(_Part):
    """A button that sends ``value`` back as the visitor's answer."""

    type: Literal["postback"]
    title: Annotated[str, _words(100)]
    value: Annotated[str, TextRules(min_length=1, max_length=1000)]


Button = Annotated[UrlButton | PostbackButton, Field(discriminator="type")]


class CardPayload(_Part):
    """A card: a title, a text, an image and up to 3 buttons."""

    title: Title
    text: Body | None = None
    image_url: Url | None = None
    buttons: list[Button] = Field(default_factory=list, max_length=MAX_BUTTONS)


class ProductPayload(_Part):
    """A product of the shop, with its price."""

    id: Reference = Field(description="The shop's id of the product")
    sku: Reference | None = None
    name: Title
    price: Amount
    currency: Currency
    image_url: Url | None = None
    url: Url | None = None


class Money(_Part):
    amount: Amount
    currency: Currency


class AmountOff(_Part):
    """A discount of an amount."""

    type: Literal["amount"]
    amount: Amount
    currency: Currency


class PercentOff(_Part):
    """A discount of a percent of the order."""

    type: Literal["percent"]
    percent: Annotated[int, IntegerRules(ge=1, le=100)]


class VoucherPayload(_Part):
    """A voucher code: what it takes off, from what spend, until when."""

    code: Code
    title: Title
    discount: Annotated[AmountOff | PercentOff, Field(discriminator="type")]
    min_spend: Money | None = None
    expires_at: Timestamp | None = None


class OrderItem(_Part):
    name: Title
    quantity: Annotated[int, IntegerRules(ge=1, le=10_000)]
    price: Amount = Field(description="The price of one")


class OrderPayload(_Part):
    """An order of the visitor's: its status, items and total."""

    number: Reference
    status: Annotated[str, _words(50)] = Field(description="The shop's word (paid, shipped)")
    items: list[OrderItem] = Field(min_length=1, max_length=MAX_ORDER_ITEMS)
    total: Amount
    currency: Currency
    url: Url | None = None


class LocationPayload(_Part):
    """A place on the map."""

    latitude: Annotated[float, _degrees(90)]
    longitude: Annotated[float, _degrees(180)]
    name: Title | None = None
    address: Address | None = None


MessagePayload = CardPayload | ProductPayload | VoucherPayload | OrderPayload | LocationPayload
PAYLOADS: Final[dict[MessageKind, type[MessagePayload]]] = {
    "card": CardPayload,
    "product": ProductPayload,
    "voucher": VoucherPayload,
    "order": OrderPayload,
    "location": LocationPayload,
}


class StructuredMessage(BaseModel):
    """The structured part of a send body, one subclass per kind: a body of chat or of the
    gateway is its own fields plus one of these (text bodies have their own ``content``)."""

    kind: MessageKind
    payload: MessagePayload


class CardMessage(StructuredMessage):
    kind: Literal["card"]
    payload: CardPayload


class ProductMessage(StructuredMessage):
    kind: Literal["product"]
    payload: ProductPayload


class VoucherMessage(StructuredMessage):
    kind: Literal["voucher"]
    payload: VoucherPayload


class OrderMessage(StructuredMessage):
    kind: Literal["order"]
    payload: OrderPayload


class LocationMessage(StructuredMessage):
    kind: Literal["location"]
    payload: LocationPayload


def kind_of(body: Any) -> str | None:
    """The discriminator of a send body: its ``kind``, ``text`` when absent (None: not one)."""
    kind = body.get("kind", "text") if isinstance(body, dict) else getattr(body, "kind", None)
    return kind if isinstance(kind, str) else None
