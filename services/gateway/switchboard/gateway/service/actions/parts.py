"""What the actions reach: the services, the hub, presence, the bus and the push stream.

Handed to every handler by the dispatcher, built once per gateway instance when it starts;
the actions never see the ``Gateway`` itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from switchboard.core.bus import Bus
from switchboard.core.sessions import Sessions
from switchboard.core.settings import Settings
from switchboard.gateway.domain.frames import ErrorCode, FrameError, RequestFrame, origin_of
from switchboard.gateway.service.connection import Connection
from switchboard.gateway.service.conversations import ConversationCache
from switchboard.gateway.service.hub import Hub
from switchboard.gateway.service.presence import PresenceTracker
from switchboard.gateway.service.push_stream import PushStream
from switchboard.gateway.service.upstream import ServiceClient

__all__ = ["ORIGIN_HEADER", "ActionParts", "Answer", "agents_only"]

# The response payload of an action.
Answer = dict[str, Any]
# Tells the service which socket request caused the events it publishes (see origin_of).
ORIGIN_HEADER = "X-Switchboard-Origin"


@dataclass(frozen=True)
class ActionParts:
    settings: Settings
    sessions: Sessions
    services: ServiceClient
    conversations: ConversationCache
    hub: Hub
    presence: PresenceTracker
    bus: Bus
    push: PushStream

    async def call_as(
        self,
        connection: Connection,
        method: str,
        service: str,
        path: str,
        *,
        json: Any = None,
        cause: RequestFrame | None = None,
    ) -> Answer:
        """A service's answer to the connection's caller (with its token); the events the call
        causes name ``cause``, the request, as their origin."""
        assert connection.token is not None
        headers = {ORIGIN_HEADER: origin_of(connection.id, cause.request_id)} if cause else None
        result = await self.services.call(
            method,
            f"{self.settings.service_url(service)}{path}",
            token=connection.token,
            json=json,
            headers=headers,
        )
        return result if isinstance(result, dict) else {"result": result}


def agents_only(connection: Connection) -> Connection:
    """The connection, when an agent's (``forbidden`` otherwise)."""
    if connection.kind != "agent":
        raise FrameError(ErrorCode.forbidden, "this action is for agents")
    return connection
