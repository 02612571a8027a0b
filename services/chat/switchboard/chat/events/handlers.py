"""Consumed events (group ``chat``, stream ``routing``): agent names and assignments."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

import structlog

from switchboard.chat.service.agents import record_agent
from switchboard.chat.service.conversations import apply_assignment
from switchboard.core.bus import Handler
from switchboard.core.events import Envelope
from switchboard.core.runtime import Runtime

log = structlog.get_logger(__name__)


def _uuid(value: object) -> UUID | None:
    return UUID(str(value)) if value else None


def build_handler(runtime: Runtime) -> Handler:
    async def agent_created(event: Envelope) -> None:
        data = event.data
        await record_agent(
            runtime,
            event_id=event.id,
            account_id=UUID(event.account_id),
            agent_id=UUID(str(data["agent_id"])),
            name=str(data.get("name") or ""),
            email=data.get("email"),
        )

    async def assignment_created(event: Envelope) -> None:
        data = event.data
        await apply_assignment(
            runtime,
            event_id=event.id,
            account_id=UUID(event.account_id),
            conversation_id=UUID(str(data["conversation_id"])),
            agent_id=_uuid(data.get("agent_id")),
            origin=event.origin,
        )

    handlers: dict[str, Callable[[Envelope], Awaitable[None]]] = {
        "agent.created": agent_created,
        "agent.updated": agent_created,
        "assignment.created": assignment_created,
    }

    async def handle(event: Envelope) -> None:
        handler = handlers.get(event.type)
        if handler is not None:
            await handler(event)

    return handle
