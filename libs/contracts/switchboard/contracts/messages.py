"""The kinds of message and what each carries besides text: one validated model per kind.

A message is ``text`` (its content only) or structured: a ``card``, a ``product``, a
``voucher``, an ``order`` or a ``location``, whose ``payload`` is the model of its kind. The
send bodies of chat's REST API and of the gateway's ``send_message`` are unions discriminated
by ``kind`` (``by_kind``; absent: ``text``), built from the parts here: each kind's
``*Message`` (``TextMessage``, ``AgentTextMessage`` and the structured ones) beside what the
sender says besides it (``SendOptions``, ``AgentSendOptions``); each side adds its own envelope
(the socket's ``conversation_id``). Reads and events show ``kind`` and ``payload`` (null for
text). Visitors send ``text`` and ``location`` only.

Amounts are decimal text (``"12.50"``): exact, whatever the currency's minor unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, ClassVar, Final, Literal, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Discriminator, Field, model_validator

from switchboard.contracts.inputs import IntegerRules, Timestamp
from switchboard.contracts.text import TextRules

__all__ = [
    "KINDS",
    "MAX_ATTACHMENTS",
    "PAYLOADS",
    "VISITOR_KINDS",
    "AgentSendOptions",
    "AgentTextMessage",
    "AmountOff",
    "CardMessage",
    "CardPayload",
    "ClientMessageId",
    "Content",
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
    "SendOptions",
    "StructuredMessage",
    "TextMessage",
    "UrlButton",
    "VoucherMessage",
    "VoucherPayload",
    "by_kind",
    "kind_of",
]

MessageKind = Literal["text", "card", "product", "voucher", "order", "location"]
KINDS: Final[tuple[MessageKind, ...]] = ("text", "card", "product", "voucher", "order", "location")
VISITOR_KINDS: Final[frozenset[MessageKind]] = frozenset({"text", "location"})
MAX_BUTTONS = 3
MAX_ORDER_ITEMS = 50
MAX_ATTACHMENTS: Final = 10  # files one message takes
MAX_MENTIONS: Final = 50


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


def by_kind(allowed: Iterable[MessageKind]) -> Discriminator:
    """The discriminator of a union of send bodies that takes the kinds ``allowed`` (each
    body ``Tag``ged with its kind): another kind is refused as ``invalid_kind``."""
    return Discriminator(
        kind_of,
        custom_error_type="invalid_kind",
        custom_error_message=f"kind must be one of {', '.join(allowed)}",
    )


# The length limit of content is chat's setting (max_message_length), checked by its use case.
Content = Annotated[
    Annotated[str, TextRules(blank=False)],
    Field(description="Not blank; at most SB_MAX_MESSAGE_LENGTH characters (10,000 by default)."),
]


class TextMessage(BaseModel):
    """The text of a send body: its ``content``, uploads of the sender (``attachment_ids``),
    or both. (The socket's content is its own: empty rather than absent.)"""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["content"], "properties": {"content": {"type": "string"}}},
                {"required": ["attachment_ids"], "properties": {"attachment_ids": {"minItems": 1}}},
            ]
        },
    )
    _needs: ClassVar[str] = "a message needs content or attachment_ids"

    kind: Literal["text"] = Field(default="text", description="Absent: a text.")
    content: Content | None = Field(
        default=None, description="Not blank; may be left out when attachment_ids are given."
    )
    attachment_ids: list[UUID] = Field(
        default=[],
        max_length=MAX_ATTACHMENTS,
        description="Uploads of the sender into this conversation (POST .../attachments) that"
        f" the message takes, at most {MAX_ATTACHMENTS}; the content may then be empty.",
    )

    def _says_something_else(self) -> bool:
        """A kind of text body that may say nothing itself (a quick reply's) says so."""
        return False

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if not self.content and not self.attachment_ids and not self._says_something_else():
            raise ValueError(self._needs)
        return self


class AgentTextMessage(TextMessage):
    """An agent's text: it may send a quick reply instead of content."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["content"], "properties": {"content": {"type": "string"}}},
                {"required": ["attachment_ids"], "properties": {"attachment_ids": {"minItems": 1}}},
                {"required": ["canned_response_id"]},
            ]
        },
    )
    _needs: ClassVar[str] = "a message needs content, attachment_ids or canned_response_id"

    canned_response_id: UUID | None = Field(
        default=None,
        description="Send this quick reply, its placeholders filled for the conversation"
        " (instead of content: not both).",
    )

    def _says_something_else(self) -> bool:
        return self.canned_response_id is not None

    @model_validator(mode="after")
    def _content_or_reply(self) -> Self:
        if self.content and self.canned_response_id is not None:
            raise ValueError("send content or canned_response_id, not both")
        return self


ClientMessageId = Annotated[
    Annotated[str, TextRules(min_length=1, max_length=100)],
    Field(description="The client's own id: the same id twice stores one."),
]


class SendOptions(BaseModel):
    """What any sender's body says besides its message."""

    client_message_id: ClientMessageId | None = None


class AgentSendOptions(SendOptions):
    """What an agent's body says besides its message (a visitor's socket is refused them)."""

    private: bool = Field(default=False, strict=True, description="A note only agents see.")
    append_signature: bool = Field(
        default=False,
        strict=True,
        description="true: the sender's signature (PATCH /v1/me) goes under the content, a"
        " blank line between; never under a private note, nor when he has none.",
    )
    mentions: list[UUID] = Field(
        default=[],
        max_length=MAX_MENTIONS,
        description="Agents of the account a private note mentions (the front end renders them"
        " from @name): each is notified and may read the conversation. Only with private: true"
        " (else 422 mentions_need_private_note); an id that is not an active agent of the"
        " account (unknown, or deactivated) is 422 unknown_mention.",
    )
