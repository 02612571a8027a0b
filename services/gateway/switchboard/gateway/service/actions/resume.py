"""``resume``: the events a reconnecting client missed since the last id it saw, replayed
from the push stream in order, or ``resync_required`` when they are no longer all there.

Live events arriving meanwhile are held by the connection and sent after the replay."""

from __future__ import annotations

from switchboard.gateway.domain.frames import ErrorCode, FrameError, ResumePayload
from switchboard.gateway.service.actions.parts import Answer
from switchboard.gateway.service.actions.table import ActionRouter, Call

__all__ = ["router"]

router = ActionRouter()


@router.action(ResumePayload)
async def resume(call: Call[ResumePayload]) -> Answer:
    parts, connection, payload = call.parts, call.connection, call.payload
    if not await parts.push.retains_after(payload.last_event_id):
        raise FrameError(
            ErrorCode.resync_required,
            "events after this id are no longer retained: reload the state over REST",
        )
    replayed = 0
    connection.begin_resume()
    try:
        async for entry_id, envelope in parts.push.since(payload.last_event_id):
            if connection.hears(envelope) and connection.push(entry_id, envelope):
                replayed += 1
    finally:
        connection.end_resume()
    return {"replayed": replayed}
