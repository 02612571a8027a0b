"""``mark_read``: the caller read a conversation up to a message (through chat, which keeps
each reader's position and tells his other devices, and for a visitor the agents too)."""

from __future__ import annotations

from typing import Any

from switchboard.gateway.domain.frames import MarkReadPayload
from switchboard.gateway.service.actions.parts import Answer
from switchboard.gateway.service.actions.table import ActionRouter, Call

__all__ = ["router"]

router = ActionRouter()


@router.action(MarkReadPayload)
async def mark_read(call: Call[MarkReadPayload]) -> Answer:
    payload = call.payload
    under = "/v1/conversations" if call.connection.kind == "agent" else "/v1/public/conversations"
    body: dict[str, Any] = {}
    if payload.message_id is not None:
        body["message_id"] = str(payload.message_id)
    return await call.ask("POST", "chat", f"{under}/{payload.conversation_id}/read", body)
