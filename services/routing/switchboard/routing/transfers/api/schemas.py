"""Request and response bodies of transfers, invitations and participants."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from switchboard.contracts.text import Text

if TYPE_CHECKING:  # the rows the use cases return
    from switchboard.routing.store.models import Invitation, Participant, Transfer

Reason = Field(default=None, max_length=500, description="Shown to the other side.")


class TransferCreate(BaseModel):
    """Exactly one of ``to_agent_id`` and ``to_team_id``."""

    model_config = ConfigDict(extra="forbid")

    to_agent_id: UUID | None = None
    to_team_id: UUID | None = None
    reason: Text | None = Reason


class TransferAllCreate(TransferCreate):
    all_open: Literal[True] = Field(description="Transfer every open conversation of the caller.")


class TransferReject(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Text | None = Reason


class TransferRead(BaseModel):
    id: UUID
    conversation_id: UUID
    from_agent_id: UUID
    to_agent_id: UUID | None
    to_team_id: UUID | None
    target_ids: list[UUID] = Field(description="Who may accept or reject it.")
    status: Literal["pending", "accepted", "rejected", "expired", "cancelled", "queued"]
    reason: str | None
    by_agent_id: UUID | None = Field(description="Who accepted or rejected it.")
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None

    @classmethod
    def of(cls, transfer: Transfer) -> TransferRead:
        return cls.model_validate(transfer, from_attributes=True)


class InvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agent_id: UUID


class InvitationRead(BaseModel):
    id: UUID
    conversation_id: UUID
    from_agent_id: UUID
    agent_id: UUID
    status: Literal["pending", "accepted", "declined", "cancelled"]
    created_at: datetime
    decided_at: datetime | None

    @classmethod
    def of(cls, invitation: Invitation) -> InvitationRead:
        return cls.model_validate(invitation, from_attributes=True)


class ParticipantRead(BaseModel):
    conversation_id: UUID
    agent_id: UUID
    kind: Literal["participant", "monitor"]
    added_at: datetime | None = None

    @classmethod
    def of(cls, participant: Participant) -> ParticipantRead:
        return cls.model_validate(participant, from_attributes=True)


class ParticipantList(BaseModel):
    assignee_id: UUID | None
    items: list[ParticipantRead]
    next_cursor: str | None = None
