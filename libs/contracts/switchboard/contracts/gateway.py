"""The events the gateway publishes: presence and typing."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from switchboard.contracts.event import Event

__all__ = ["PresenceChanged", "TypingChanged"]


class GatewayEvent(Event):
    source: ClassVar[str] = "gateway"


class PresenceChanged(GatewayEvent):
    """The agent came online or went offline. Online: at least one live connection (a
    heartbeat within 3 x SB_PRESENCE_HEARTBEAT_SECONDS) is not away. Going offline because
    connections closed is announced only after SB_PRESENCE_GRACE_SECONDS (no flapping when a
    phone switches networks); ``set_away`` is announced at once."""

    type: ClassVar[str] = "presence.changed"
    ordered_by: ClassVar[str] = "agent id"
    heard_by: ClassVar[str] = "the agent, role:supervisor"

    agent_id: UUID
    online: bool
    connections: int = Field(ge=0, description="live connections, away or not")


class TypingChanged(GatewayEvent):
    """Someone started or stopped typing in a conversation (the ``typing`` action)."""

    type: ClassVar[str] = "typing"
    ordered_by: ClassVar[str] = "conversation id"
    heard_by: ClassVar[str] = (
        "a visitor's typing: the assignee and the inbox; an agent's: the visitor"
    )

    conversation_id: UUID
    sender_type: Literal["visitor", "agent"]
    sender_id: UUID
    typing: bool
