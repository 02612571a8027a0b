"""What a structured message's content says: a line of text from its payload.

A card, a product, a voucher, an order or a location is stored with the line a reader without
that kind's view shows (a notification, a transcript, the contact's history): no words of a
language, only what the payload says.
"""

from __future__ import annotations

from switchboard.contracts.messages import (
    PAYLOADS,
    CardPayload,
    LocationPayload,
    MessageKind,
    MessagePayload,
    OrderPayload,
    ProductPayload,
    VoucherPayload,
)

__all__ = ["kind_of_payload", "summary"]

_KINDS: dict[type[MessagePayload], MessageKind] = {model: kind for kind, model in PAYLOADS.items()}


def kind_of_payload(payload: MessagePayload) -> MessageKind:
    return _KINDS[type(payload)]


def summary(payload: MessagePayload) -> str:
    """The content of a message of ``payload``'s kind."""
    match payload:
        case CardPayload():
            return payload.title
        case ProductPayload():
            return f"{payload.name} · {payload.price} {payload.currency}"
        case VoucherPayload():
            return f"{payload.title} · {payload.code}"
        case OrderPayload():
            return f"#{payload.number} · {payload.status} · {payload.total} {payload.currency}"
        case LocationPayload():
            return payload.name or payload.address or f"{payload.latitude}, {payload.longitude}"
