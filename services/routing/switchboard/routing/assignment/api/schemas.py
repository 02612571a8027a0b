"""Request and response bodies of the queue, manual assignment and offers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from switchboard.contracts.values import ConversationPriority
from switchboard.routing.assignment.service.manual import ManualAssignment
from switchboard.routing.assignment.service.queue import QueueItem

if TYPE_CHECKING:  # the rows the use cases return
    from switchboard.routing.store.models import Offer


class QueueItemRead(BaseModel):
    conversation_id: UUID
    inbox_id: UUID
    team_id: UUID | None = Field(description="The team it was sent to, if any.")
    visitor_id: UUID | None
    priority: ConversationPriority = Field(
        description="The conversation's (chat's); the queue drains highest first, then oldest."
    )
    queued_at: datetime
    position: int | None = Field(description="Its place in its inbox's queue (1 = next).")
    offered: bool = Field(description="A broadcast offer of it is open.")

    @classmethod
    def of(cls, item: QueueItem) -> QueueItemRead:
        queued = item.queued
        return cls(
            conversation_id=queued.conversation_id,
            inbox_id=queued.inbox_id,
            team_id=queued.team_id,
            visitor_id=item.visitor_id,
            priority=ConversationPriority.of_rank(queued.priority),
            queued_at=queued.queued_at,
            position=item.position,
            offered=queued.offer_id is not None,
        )


class QueuePriorityUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    priority: ConversationPriority = Field(
        description="none, low, medium, high, urgent: higher goes first."
    )


class AssignmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agent_id: UUID | None = Field(default=None, description="Agents: omit, or their own id.")
    team_id: UUID | None = Field(
        default=None, description="Alone: send to the team's queue; with agent_id: a member."
    )
    override_capacity: bool = Field(
        default=False, strict=True, description="Admins only: assign beyond capacity."
    )


class AssignmentRead(BaseModel):
    conversation_id: UUID
    agent_id: UUID | None
    previous_agent_id: UUID | None
    team_id: UUID | None
    status: Literal["assigned", "queued"]

    @classmethod
    def of(cls, made: ManualAssignment) -> AssignmentRead:
        return cls(
            conversation_id=made.conversation_id,
            agent_id=made.agent_id,
            previous_agent_id=made.previous_agent_id,
            team_id=made.team_id,
            status="assigned" if made.status == "assigned" else "queued",
        )


class OfferRead(BaseModel):
    id: UUID
    conversation_id: UUID
    inbox_id: UUID
    agent_ids: list[UUID]
    status: Literal["open", "accepted", "expired", "withdrawn"]
    winner_id: UUID | None
    expires_at: datetime

    @classmethod
    def of(cls, offer: Offer) -> OfferRead:
        return cls.model_validate(offer, from_attributes=True)
