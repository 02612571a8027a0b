"""Consumed events: every new visitor of chat becomes a contact."""

from uuid import UUID

from pydantic import BaseModel

from switchboard.core.bus import Handler
from switchboard.core.events import Envelope
from switchboard.core.runtime import Runtime
from switchboard.tickets.domain.contacts import details_from
from switchboard.tickets.service.contacts import record_visitor


class VisitorCreated(BaseModel):
    visitor_id: UUID
    inbox_id: UUID


def build_handler(runtime: Runtime) -> Handler:
    async def handle(event: Envelope) -> None:
        if event.type != "visitor.created":
            return
        visitor = VisitorCreated.model_validate(event.data)
        await record_visitor(
            runtime,
            event_id=event.id,
            account_id=UUID(event.account_id),
            visitor_id=visitor.visitor_id,
            details=details_from(event.data),
        )

    return handle
