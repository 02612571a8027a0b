"""The event envelope shared by every stream of the bus, and a consumed event's delivery."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

import orjson
from pydantic import BaseModel, Field
from uuid6 import uuid7

from switchboard.contracts.event import Event
from switchboard.contracts.values import Audience

__all__ = ["Audience", "Delivery", "Envelope", "new_event_id", "utcnow"]

E = TypeVar("E", bound=Event)
E_co = TypeVar("E_co", bound=Event, covariant=True)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_event_id() -> str:
    return str(uuid7())


class Envelope(BaseModel):
    """One event on the bus. ``key`` orders events (usually the conversation id)."""

    id: str = Field(default_factory=new_event_id)
    type: str
    version: int = 1
    occurred_at: datetime = Field(default_factory=utcnow)
    account_id: str
    source: str
    key: str
    audience: list[str] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)
    # "<connection id>:<request id>" of the socket request that caused the event, if any.
    origin: str | None = None

    @classmethod
    def of(
        cls,
        payload: Event,
        *,
        account_id: UUID | str,
        key: UUID | str,
        audience: Iterable[str] = (),
        origin: str | None = None,
    ) -> Envelope:
        """A new event: ``payload``'s type, source and version, its fields as ``data`` (dumped
        once); a fresh id and time, and the audience without repeats.

        Built through validation on purpose: pydantic's ``model_construct`` skips it but,
        written in Python, costs more than the compiled validation of these few fields."""
        return cls(
            type=payload.type,
            version=payload.version,
            account_id=str(account_id),
            source=payload.source,
            key=str(key),
            audience=list(dict.fromkeys(audience)),
            data=payload.model_dump(mode="json"),
            origin=origin,
        )

    def is_a(self, model: builtins.type[Event]) -> bool:
        """Whether this is an event of ``model`` (its type, from its source)."""
        return self.type == model.type and self.source == model.source

    def payload(self, model: builtins.type[E]) -> E:
        """``data`` read as ``model``; ``ValueError`` when this is another event."""
        if not self.is_a(model):
            raise ValueError(f"a {self.type} of {self.source} is not a {model.__name__}")
        return model.model_validate(self.data)

    def encode(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json"))

    @classmethod
    def decode(cls, raw: bytes | str) -> Envelope:
        return cls.model_validate(orjson.loads(raw))


class Delivery(Generic[E_co]):
    """A consumed event: what its envelope says, and its payload read as the model ``E_co``
    (once, when first asked: a handler that needs only the type never reads it)."""

    __slots__ = ("_data", "_model", "envelope")

    def __init__(self, envelope: Envelope, model: builtins.type[E_co]) -> None:
        self.envelope = envelope
        self._model = model
        self._data: E_co | None = None

    @property
    def data(self) -> E_co:
        if self._data is None:
            self._data = self.envelope.payload(self._model)
        return self._data

    @property
    def id(self) -> str:
        return self.envelope.id

    @property
    def type(self) -> str:
        return self.envelope.type

    @property
    def account_id(self) -> UUID:
        return UUID(self.envelope.account_id)

    @property
    def occurred_at(self) -> datetime:
        return self.envelope.occurred_at

    @property
    def origin(self) -> str | None:
        return self.envelope.origin

    def __repr__(self) -> str:
        return f"Delivery({self.envelope.source} {self.type} {self.id})"
