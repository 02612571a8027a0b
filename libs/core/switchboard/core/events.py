"""The event envelope shared by every stream of the bus."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import BaseModel, Field
from uuid6 import uuid7

__all__ = ["Audience", "Envelope", "new_event_id", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_event_id() -> str:
    return str(uuid7())


class Audience:
    """Builders for the audience strings a gateway delivers by.

    Every audience is scoped by the envelope's ``account_id``; a private note never names a
    visitor.
    """

    @staticmethod
    def agent(agent_id: object) -> str:
        return f"agent:{agent_id}"

    @staticmethod
    def visitor(visitor_id: object) -> str:
        return f"visitor:{visitor_id}"

    @staticmethod
    def inbox(inbox_id: object) -> str:
        return f"inbox:{inbox_id}"

    @staticmethod
    def role(role: str) -> str:
        return f"role:{role}"


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

    def encode(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json"))

    @classmethod
    def decode(cls, raw: bytes | str) -> Envelope:
        return cls.model_validate(orjson.loads(raw))
