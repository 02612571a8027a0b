"""Request and response bodies of the support floor: accounts' routing settings, teams,
inbox routing, the queue, manual assignment and offers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from switchboard.core.auth import Role
from switchboard.core.text import Text, TextRules
from switchboard.core.values import IntegerRules
from switchboard.routing.assignment.domain.availability import AgentStatus
from switchboard.routing.assignment.domain.strategy import Strategy
from switchboard.routing.assignment.service.manual import ManualAssignment
from switchboard.routing.assignment.service.queue import QueueItem
from switchboard.routing.directory.api.schemas import Capacity
from switchboard.routing.directory.service.teams import TeamView

if TYPE_CHECKING:  # the rows the use cases return
    from switchboard.routing.store.models import Account, Agent, Inbox, Offer, TeamMember

Timeout = Annotated[int, IntegerRules(ge=5, le=3600)]
ResponseTimeout = Annotated[int, IntegerRules(ge=10, le=7 * 24 * 3600)]
Priority = Annotated[int, IntegerRules(ge=-1000, le=1000)]
TeamName = Annotated[str, TextRules(max_length=200, blank=False, trim=True)]
_STRATEGIES = [s.value for s in Strategy]
StrategyName = Annotated[
    Text,
    Field(
        description="round_robin | least_busy | broadcast (else 422 invalid_strategy).",
        json_schema_extra={"enum": _STRATEGIES},
    ),
]


class AccountRead(BaseModel):
    id: UUID
    name: str
    default_capacity: int = Field(description="Conversations an agent holds at once by default.")
    offer_timeout_seconds: int = Field(description="How long a broadcast offer stays open.")
    transfer_timeout_seconds: int = Field(description="How long a transfer waits for an answer.")
    created_at: datetime

    @classmethod
    def of(cls, account: Account) -> AccountRead:
        return cls.model_validate(account, from_attributes=True)


class AccountUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default_capacity: Capacity | None = None
    offer_timeout_seconds: Timeout | None = None
    transfer_timeout_seconds: Timeout | None = None


class TeamCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: TeamName
    strategy: StrategyName = Strategy.round_robin.value
    fallback_team_id: UUID | None = Field(
        default=None, description="Gets the conversations when nobody in this team can."
    )
    transfer_team_ids: list[UUID] = Field(
        default_factory=list,
        max_length=100,
        description="The teams this team's conversations may be transferred to (empty: any).",
    )


class TeamUpdate(BaseModel):
    """Send only what changes."""

    model_config = ConfigDict(extra="forbid")

    name: TeamName | None = None
    strategy: StrategyName | None = None
    fallback_team_id: UUID | None = None
    transfer_team_ids: list[UUID] | None = Field(default=None, max_length=100)


class TeamRead(BaseModel):
    id: UUID
    name: str
    strategy: str
    fallback_team_id: UUID | None
    transfer_team_ids: list[UUID]
    member_ids: list[UUID]
    created_at: datetime

    @classmethod
    def of(cls, view: TeamView) -> TeamRead:
        team = view.team
        return cls(
            id=team.id,
            name=team.name,
            strategy=team.strategy,
            fallback_team_id=team.fallback_team_id,
            transfer_team_ids=view.transfer_team_ids,
            member_ids=view.member_ids,
            created_at=team.created_at,
        )


class TeamList(BaseModel):
    items: list[TeamRead]
    next_cursor: str | None = None


class TeamMemberCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agent_id: UUID


class TeamMemberRead(BaseModel):
    team_id: UUID
    agent_id: UUID
    added_at: datetime


class TeamMemberDetail(TeamMemberRead):
    name: str
    role: Role
    status: AgentStatus
    online: bool

    @classmethod
    def of(cls, member: TeamMember, agent: Agent) -> TeamMemberDetail:
        return cls(
            team_id=member.team_id,
            agent_id=member.agent_id,
            added_at=member.added_at,
            name=agent.name,
            role=Role(agent.role),
            status=AgentStatus(agent.status),
            online=agent.connected,
        )


class TeamMemberList(BaseModel):
    items: list[TeamMemberDetail]
    next_cursor: str | None = None


class InboxRoutingUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    strategy: StrategyName
    team_id: UUID | None = Field(
        default=None, description="Route to this team's members (null: the inbox's members)."
    )
    response_timeout_seconds: ResponseTimeout | None = Field(
        default=None,
        description="Reassign when the assignee has not replied within this time (null: off).",
    )


class InboxRoutingRead(BaseModel):
    inbox_id: UUID
    strategy: str
    team_id: UUID | None
    response_timeout_seconds: int | None

    @classmethod
    def of(cls, inbox: Inbox) -> InboxRoutingRead:
        return cls(
            inbox_id=inbox.id,
            strategy=inbox.strategy,
            team_id=inbox.team_id,
            response_timeout_seconds=inbox.response_timeout_seconds,
        )


class QueueItemRead(BaseModel):
    conversation_id: UUID
    inbox_id: UUID
    team_id: UUID | None = Field(description="The team it was sent to, if any.")
    visitor_id: UUID | None
    priority: int
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
            priority=queued.priority,
            queued_at=queued.queued_at,
            position=item.position,
            offered=queued.offer_id is not None,
        )


class QueueList(BaseModel):
    items: list[QueueItemRead]
    next_cursor: str | None = None


class QueuePriorityUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    priority: Priority = Field(description="Higher goes first.")


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
