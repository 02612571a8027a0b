"""What is written in a conversation: ``send_message`` (through chat) and ``typing`` (a
push of the gateway's own, heard by the other side of the conversation)."""

from __future__ import annotations

from typing import Any

from switchboard.contracts.gateway import TypingChanged
from switchboard.contracts.messages import VISITOR_KINDS
from switchboard.core.events import Envelope
from switchboard.gateway.domain.audience import typing_audience
from switchboard.gateway.domain.frames import (
    ErrorCode,
    FrameError,
    SendMessagePayload,
    SendText,
    TypingPayload,
    origin_of,
)
from switchboard.gateway.service.actions.parts import Answer
from switchboard.gateway.service.actions.table import ActionRouter, Call

__all__ = ["router"]

router = ActionRouter()


@router.action(SendMessagePayload)
async def send_message(call: Call[SendMessagePayload]) -> Answer:
    connection, message = call.connection, call.payload.root
    conversation_id = message.conversation_id
    body: dict[str, Any]
    if isinstance(message, SendText):
        body = {"content": message.content} if message.content else {}
        if message.attachment_ids:
            body["attachment_ids"] = [str(id_) for id_ in message.attachment_ids]
        if message.canned_response_id is not None:
            body["canned_response_id"] = str(message.canned_response_id)
    else:
        body = {"kind": message.kind, "payload": message.payload.model_dump(mode="json")}
    if message.client_message_id is not None:
        body["client_message_id"] = message.client_message_id
    if connection.kind == "agent":
        path = f"/v1/conversations/{conversation_id}/messages"
        body["private"] = message.private
        if message.append_signature:
            body["append_signature"] = True
        if message.mentions:
            body["mentions"] = [str(agent_id) for agent_id in message.mentions]
    else:
        quick_reply = isinstance(message, SendText) and message.canned_response_id is not None
        if message.private or message.mentions or message.append_signature or quick_reply:
            raise FrameError(
                ErrorCode.forbidden,
                "visitors cannot write private notes, sign, mention or send quick replies",
            )
        if message.kind not in VISITOR_KINDS:
            raise FrameError(ErrorCode.forbidden, "visitors send a text or a location")
        path = f"/v1/public/conversations/{conversation_id}/messages"
    return await call.ask("POST", "chat", path, body)


@router.action(TypingPayload)
async def typing(call: Call[TypingPayload]) -> Answer:
    parts, connection, payload = call.parts, call.connection, call.payload
    conversation_id = str(payload.conversation_id)
    conversation = await parts.conversations.get(connection, conversation_id)
    if conversation is None:
        raise FrameError("conversation_not_found", "there is no such conversation")

    def field(name: str) -> str | None:
        value = conversation.get(name)
        return str(value) if value else None

    audience = typing_audience(
        connection.kind,
        inbox_id=field("inbox_id"),
        assignee_id=field("assignee_id"),
        visitor_id=field("visitor_id"),
    )
    news = TypingChanged(
        conversation_id=payload.conversation_id,
        sender_type=connection.kind,
        sender_id=connection.principal_id,
        typing=payload.typing,
    )
    envelope = Envelope.of(
        news,
        account_id=connection.account_id,
        key=conversation_id,
        audience=audience,
        origin=origin_of(connection.id, call.request.request_id),
    )
    await parts.bus.publish("gateway", envelope)
    return {}
