"""An agent's own routing status."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["AgentStatus"]


class AgentStatus(StrEnum):
    online = "online"
    busy = "busy"
    offline = "offline"
