"""The values events share: statuses, roles and the audience strings (their moments are
``switchboard.contracts.inputs.Timestamp``, read as strictly as a request's)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
    "AgentStatus",
    "AssignmentReason",
    "AttachmentKind",
    "Audience",
    "ConversationPriority",
    "ConversationStatus",
    "NotificationKind",
    "NotificationPreferences",
    "ParticipantKind",
    "Role",
    "SenderType",
]


class ConversationStatus(StrEnum):
    open = "open"
    pending = "pending"
    snoozed = "snoozed"
    resolved = "resolved"


class ConversationPriority(StrEnum):
    """How urgent a conversation is (chat's, the one source); the queue drains by its rank."""

    none = "none"
    low = "low"
    medium = "medium"
    high = "high"
    urgent = "urgent"

    @property
    def rank(self) -> int:
        """Its place in the queue's order: none 0 ... urgent 4 (higher goes first)."""
        return list(ConversationPriority).index(self)

    @classmethod
    def of_rank(cls, rank: int) -> ConversationPriority:
        """The priority of a rank (one outside the scale: the nearest end)."""
        members = list(cls)
        return members[max(0, min(rank, len(members) - 1))]


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
# "deactivated" only takes a conversation away: its agent was deactivated (back to the queue).
AssignmentReason = Literal["auto", "manual", "offer", "transfer", "timeout", "deactivated"]
# What a message's file is, as a front end shows it (chat's allow-list decides from content).
AttachmentKind = Literal["image", "video", "audio", "file"]


class NotificationKind(StrEnum):
    """What a notification of chat's tells an agent; he may turn each kind off (all on by
    default)."""

    mention = "mention"
    assigned = "assigned"
    transfer = "transfer"
    invitation = "invitation"
    sla_near_breach = "sla_near_breach"
    sla_breached = "sla_breached"


class NotificationPreferences(BaseModel):
    """Which kinds of notification an agent gets (true: made for him)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    mention: bool = True
    assigned: bool = True
    transfer: bool = True
    invitation: bool = True
    sla_near_breach: bool = True
    sla_breached: bool = True

    @classmethod
    def muting(cls, muted: Iterable[str]) -> NotificationPreferences:
        """The preferences of an agent who turned off the kinds ``muted``."""
        return cls(**dict.fromkeys(muted, False))

    def muted(self) -> list[str]:
        """The kinds turned off, in the order of the fields."""
        return [kind for kind, on in self.model_dump().items() if not on]


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
