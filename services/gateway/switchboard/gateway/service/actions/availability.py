"""Whether an agent gets chats: ``set_availability`` (his routing status, kept by routing) and
``set_away`` (this connection's away flag, part of his presence)."""

from __future__ import annotations

from switchboard.gateway.domain.frames import SetAvailabilityPayload, SetAwayPayload
from switchboard.gateway.service.actions.parts import Answer, agents_only
from switchboard.gateway.service.actions.table import ActionRouter, Call

__all__ = ["router"]

router = ActionRouter()


@router.action(SetAvailabilityPayload)
async def set_availability(call: Call[SetAvailabilityPayload]) -> Answer:
    connection = agents_only(call.connection)
    body = call.payload.model_dump(exclude_none=True)
    return await call.parts.call_as(connection, "PUT", "routing", "/v1/me/availability", json=body)


@router.action(SetAwayPayload)
async def set_away(call: Call[SetAwayPayload]) -> Answer:
    connection = agents_only(call.connection)
    connection.away = call.payload.away
    summary = await call.parts.presence.away_changed(connection)
    return {"away": connection.away, "online": summary.online}
