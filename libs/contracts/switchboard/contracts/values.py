"""The values events share: times, statuses, roles and the audience strings."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator

__all__ = [
    "AgentStatus",
    "AssignmentReason",
    "AttachmentKind",
    "Audience",
    "ConversationStatus",
    "ParticipantKind",
    "Role",
    "SenderType",
    "Timestamp",
]


def _in_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


# A moment, written in UTC as RFC 3339 (``2024-05-01T08:30:00.123456Z``) whatever its zone.
Timestamp = Annotated[datetime, AfterValidator(_in_utc)]


class ConversationStatus(StrEnum):
    open = "open"
    pending = "pending"
    snoozed = "snoozed"
    resolved = "resolved"


# An agent's role; each one may do what the ones before it may.
class Role(StrEnum):
    agent = "agent"
    supervisor = "supervisor"
    admin = "admin"

    @property
    def rank(self) -> int:
        return {"agent": 0, "supervisor": 1, "admin": 2}[self.value]


SenderType = Literal["visitor", "agent", "system"]
# An agent's own routing status (each connection's away flag is the gateway's).
AgentStatus = Literal["online", "busy", "offline"]
# A participant works on the conversation; a monitor watches it silently.
ParticipantKind = Literal["participant", "monitor"]
AssignmentReason = Literal["auto", "manual", "offer", "transfer", "timeout"]
# What a message's file is, as a front end shows it (chat's allow-list decides from content).
AttachmentKind = Literal["image", "video", "audio", "file"]


class Audience:
    """Builders for the audience strings a gateway delivers by.

    Every audience is scoped by the envelope's ``account_id``: ``agent:<id>``,
    ``visitor:<id>``, ``inbox:<id>`` (every agent member of the inbox) and ``role:<role>``
    (every connection of at least that role). A private note never names a visitor.
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
