"""Whether an agent gets chats: ``set_availability`` (his routing status, kept by routing) and
``set_away`` (this connection's away flag, part of his presence)."""

from __future__ import annotations

from switchboard.gateway.domain.frames import RequestFrame, SetAvailabilityPayload, SetAwayPayload
from switchboard.gateway.service.actions.parts import ActionParts, Answer, agents_only
from switchboard.gateway.service.actions.table import ActionRouter
from switchboard.gateway.service.connection import Connection

__all__ = ["router"]

router = ActionRouter()


@router.action(SetAvailabilityPayload)
async def set_availability(
    parts: ActionParts, connection: Connection, _: RequestFrame, payload: SetAvailabilityPayload
) -> Answer:
    agents_only(connection)
    body = payload.model_dump(exclude_none=True)
    return await parts.call_as(connection, "PUT", "routing", "/v1/me/availability", json=body)


@router.action(SetAwayPayload)
async def set_away(
    parts: ActionParts, connection: Connection, _: RequestFrame, payload: SetAwayPayload
) -> Answer:
    agents_only(connection)
    connection.away = payload.away
    summary = await parts.presence.away_changed(connection)
    return {"away": connection.away, "online": summary.online}
