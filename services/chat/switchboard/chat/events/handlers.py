"""Consumed events (group ``chat``, stream ``routing``).

- ``agent.created`` / ``agent.updated``, ``team.created`` / ``team.updated``: the name
  projections;
- ``assignment.created`` / ``assignment.removed``: the conversation's assignee;
- ``participant.added`` / ``participant.removed``: who else the conversation's events reach;
- ``transfer.requested|accepted|rejected|expired``: a system message each;
- ``inbox.member_added`` / ``inbox.member_removed``, ``invitation.*``: who may see which
  conversations (``service.access``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

import structlog

from switchboard.chat.domain.participants import ParticipantKind
from switchboard.chat.service import access
from switchboard.chat.service.agents import record_agent
from switchboard.chat.service.conversations import apply_assignment, remove_assignment
from switchboard.chat.service.participants import apply_participant_change
from switchboard.chat.service.teams import record_team
from switchboard.chat.service.transfers import TransferNews, TransferStep, record_transfer_step
from switchboard.core.bus import Handler
from switchboard.core.events import Envelope
from switchboard.core.runtime import Runtime

log = structlog.get_logger(__name__)

_TRANSFER_STEPS: dict[str, TransferStep] = {
    "transfer.requested": "requested",
    "transfer.accepted": "accepted",
    "transfer.rejected": "rejected",
    "transfer.expired": "expired",
}


def _uuid(value: object) -> UUID | None:
    return UUID(str(value)) if value else None


def _text(value: object) -> str | None:
    return str(value) if value is not None else None


def build_handler(runtime: Runtime) -> Handler:
    async def agent_created(event: Envelope) -> None:
        data = event.data
        if "name" not in data:  # an update of something else (capacity, role): no news here
            return
        await record_agent(
            runtime,
            event_id=event.id,
            account_id=UUID(event.account_id),
            agent_id=UUID(str(data["agent_id"])),
            name=str(data.get("name") or ""),
            email=data.get("email"),
        )

    async def team_created(event: Envelope) -> None:
        data = event.data
        await record_team(
            runtime,
            event_id=event.id,
            account_id=UUID(event.account_id),
            team_id=UUID(str(data["team_id"])),
            name=str(data.get("name") or ""),
        )

    async def assignment_created(event: Envelope) -> None:
        data = event.data
        await apply_assignment(
            runtime,
            event_id=event.id,
            account_id=UUID(event.account_id),
            conversation_id=UUID(str(data["conversation_id"])),
            agent_id=_uuid(data.get("agent_id")),
            previous_agent_id=_uuid(data.get("previous_agent_id")),
            reason=_text(data.get("reason")),
            origin=event.origin,
        )

    async def assignment_removed(event: Envelope) -> None:
        data = event.data
        await remove_assignment(
            runtime,
            event_id=event.id,
            account_id=UUID(event.account_id),
            conversation_id=UUID(str(data["conversation_id"])),
            agent_id=UUID(str(data["agent_id"])),
            reason=_text(data.get("reason")),
            origin=event.origin,
        )

    def participant_handler(added: bool) -> Callable[[Envelope], Awaitable[None]]:
        async def handle(event: Envelope) -> None:
            data = event.data
            await apply_participant_change(
                runtime,
                event_id=event.id,
                account_id=UUID(event.account_id),
                conversation_id=UUID(str(data["conversation_id"])),
                agent_id=UUID(str(data["agent_id"])),
                kind=ParticipantKind(str(data.get("kind") or ParticipantKind.participant)),
                added=added,
            )

        return handle

    async def transfer_step(event: Envelope) -> None:
        data = event.data
        news = TransferNews(
            step=_TRANSFER_STEPS[event.type],
            from_agent_id=_uuid(data.get("from_agent_id")),
            to_agent_id=_uuid(data.get("to_agent_id")),
            to_team_id=_uuid(data.get("to_team_id")),
            by_agent_id=_uuid(data.get("by_agent_id")),
            reason=_text(data.get("reason")),
        )
        await record_transfer_step(
            runtime,
            event_id=event.id,
            account_id=UUID(event.account_id),
            conversation_id=UUID(str(data["conversation_id"])),
            news=news,
        )

    def membership(added: bool) -> Callable[[Envelope], Awaitable[None]]:
        async def handle(event: Envelope) -> None:
            await access.record_membership(runtime, event, added=added)

        return handle

    def invitation(pending: bool) -> Callable[[Envelope], Awaitable[None]]:
        async def handle(event: Envelope) -> None:
            await access.record_invitation(runtime, event, pending=pending)

        return handle

    handlers: dict[str, Callable[[Envelope], Awaitable[None]]] = {
        "inbox.member_added": membership(added=True),
        "inbox.member_removed": membership(added=False),
        "invitation.created": invitation(pending=True),
        "invitation.accepted": invitation(pending=False),
        "invitation.declined": invitation(pending=False),
        "agent.created": agent_created,
        "agent.updated": agent_created,
        "team.created": team_created,
        "team.updated": team_created,
        "assignment.created": assignment_created,
        "assignment.removed": assignment_removed,
        "participant.added": participant_handler(added=True),
        "participant.removed": participant_handler(added=False),
        **dict.fromkeys(_TRANSFER_STEPS, transfer_step),
    }

    async def handle(event: Envelope) -> None:
        handler = handlers.get(event.type)
        if handler is not None:
            await handler(event)

    return handle
