"""Request and response bodies of the directory: logins and tokens, agents, accounts' routing
settings, teams, inbox members and inbox routing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from switchboard.contracts.inputs import Boolean, IntegerRules
from switchboard.contracts.text import SPACE_OR_NUL, Text, TextRules
from switchboard.contracts.values import NotificationPreferences
from switchboard.core.auth import Principal, Role
from switchboard.routing.assignment.domain.availability import AgentStatus
from switchboard.routing.assignment.domain.strategy import Strategy
from switchboard.routing.directory.domain.emails import (
    EMAIL_MAX_LENGTH,
    EMAIL_PATTERN,
    normalize_email,
)
from switchboard.routing.directory.service.agents import AgentView
from switchboard.routing.directory.service.teams import TeamView

if TYPE_CHECKING:  # the rows the use cases return
    from switchboard.routing.store.models import Account, Agent, Inbox, InboxMember, TeamMember

Name = Annotated[str, TextRules(max_length=200, blank=False, trim=True)]
Email = Annotated[str, TextRules(max_length=320, trim=True)]
NewEmail = Annotated[str, TextRules(max_length=EMAIL_MAX_LENGTH, pattern=EMAIL_PATTERN, trim=True)]
Password = Annotated[Text, Field(min_length=8, max_length=1024)]
AvatarUrl = Annotated[
    str, TextRules(max_length=2000, pattern=f"^https?://[^{SPACE_OR_NUL}]+$", trim=True)
]
# Appended to the agent's messages when he asks (chat's append_signature); lines allowed.
Signature = Annotated[str, TextRules(max_length=1000, blank=False, trim=True)]
Capacity = Annotated[int, IntegerRules(ge=0, le=1000)]
Timeout = Annotated[int, IntegerRules(ge=5, le=3600)]
ResponseTimeout = Annotated[int, IntegerRules(ge=10, le=7 * 24 * 3600)]
TeamName = Annotated[str, TextRules(max_length=200, blank=False, trim=True)]
_STRATEGIES = [s.value for s in Strategy]
StrategyName = Annotated[
    Text,
    Field(
        description="round_robin | least_busy | broadcast (else 422 invalid_strategy).",
        json_schema_extra={"enum": _STRATEGIES},
    ),
]


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: Text = Field(min_length=1, max_length=1024)


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: Text = Field(min_length=1, max_length=4096)


class LogoutRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    everywhere: Boolean = Field(
        default=False,
        description="true: end every session of the agent, on every device; false: this login.",
    )


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Text = Field(min_length=1, max_length=1024)
    new_password: Password


class TokenPairRead(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")


class AgentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    email: NewEmail
    password: Password
    role: Role = Role.agent

    @field_validator("email")
    @classmethod
    def _normalize(cls, value: str) -> str:
        return normalize_email(value)


class AvailabilityUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: AgentStatus
    accept_auto_assign: bool | None = Field(
        default=None, strict=True, description="Omit to keep the current choice."
    )


class AgentUpdate(BaseModel):
    """Send only what changes; ``capacity: null`` returns the agent to the account default."""

    model_config = ConfigDict(extra="forbid")

    name: Name | SkipJsonSchema[None] = Field(default=None, description="Not null.")
    capacity: Capacity | None = None
    # Not null: leave the field out to keep the value (the schema says so; null is a 422).
    role: Role | SkipJsonSchema[None] = Field(
        default=None, description="A new role ends the agent's sessions: he refreshes his token."
    )
    active: Boolean | SkipJsonSchema[None] = Field(
        default=None,
        description="false: the agent cannot log in and his tokens and sockets end at once.",
    )


class NotificationsUpdate(BaseModel):
    """Send only the kinds that change (true: notify me); not null."""

    model_config = ConfigDict(extra="forbid")

    mention: Boolean | SkipJsonSchema[None] = None
    assigned: Boolean | SkipJsonSchema[None] = None
    transfer: Boolean | SkipJsonSchema[None] = None
    invitation: Boolean | SkipJsonSchema[None] = None
    sla_near_breach: Boolean | SkipJsonSchema[None] = None
    sla_breached: Boolean | SkipJsonSchema[None] = None


class MeUpdate(BaseModel):
    """The calling agent's own profile; send only what changes (null clears the avatar and
    the signature; the name and the preferences are not null)."""

    model_config = ConfigDict(extra="forbid")

    name: Name | SkipJsonSchema[None] = None
    avatar_url: AvatarUrl | None = Field(default=None, description="http(s) only; null: none.")
    signature: Signature | None = Field(
        default=None,
        description="Appended to a message he sends with append_signature (never to a private"
        " note); null: none.",
    )
    notifications: NotificationsUpdate | SkipJsonSchema[None] = Field(
        default=None, description="Which kinds of notification he gets (all on by default)."
    )


class AgentRead(BaseModel):
    id: UUID
    account_id: UUID
    name: str
    email: str
    role: Role
    status: AgentStatus
    accept_auto_assign: bool
    online: bool = Field(description="At least one live connection that is not away.")
    inbox_ids: list[UUID]
    team_ids: list[UUID]
    load: int = Field(description="Assigned conversations that are open or pending.")
    capacity: int = Field(description="The agent's maximum: its own, else the account default.")
    capacity_override: int | None = Field(description="The agent's own maximum, if set.")
    active: bool = Field(description="false: deactivated, cannot log in.")
    created_at: datetime
    avatar_url: str | None
    signature: str | None = Field(
        description="His own and his admins' to read: null for another agent's caller."
    )
    notifications: NotificationPreferences | None = Field(
        description="His own and his admins' to read: null for another agent's caller."
    )

    @classmethod
    def of(cls, view: AgentView) -> AgentRead:
        """The agent as he and the account's admins read him."""
        agent = view.agent
        return cls(
            id=agent.id,
            account_id=agent.account_id,
            name=agent.name,
            email=agent.email,
            role=Role(agent.role),
            status=AgentStatus(agent.status),
            accept_auto_assign=agent.accept_auto_assign,
            online=agent.connected,
            inbox_ids=view.inbox_ids,
            team_ids=view.team_ids or [],
            load=view.load,
            capacity=view.capacity,
            capacity_override=agent.capacity,
            active=agent.active,
            created_at=agent.created_at,
            avatar_url=agent.avatar_url,
            signature=agent.signature,
            notifications=NotificationPreferences.muting(agent.muted_notifications),
        )

    @classmethod
    def seen_by(cls, caller: Principal) -> Callable[[AgentView], AgentRead]:
        """The agent as ``caller`` may read him: his signature and his notification
        preferences are his own and his admins' (``of``), not his colleagues'."""

        def read(view: AgentView) -> AgentRead:
            full = cls.of(view)
            if caller.id == view.agent.id or caller.at_least(Role.admin):
                return full
            return full.model_copy(update={"signature": None, "notifications": None})

        return read


def _member(agent: Agent) -> dict[str, Any]:
    """What a list of an inbox's or a team's members tells of each agent."""
    return {
        "name": agent.name,
        "role": Role(agent.role),
        "status": AgentStatus(agent.status),
        "online": agent.connected,
    }


class InboxMemberCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agent_id: UUID


class InboxMemberRead(BaseModel):
    inbox_id: UUID
    agent_id: UUID


class InboxMemberDetail(InboxMemberRead):
    name: str
    role: Role
    status: AgentStatus
    accept_auto_assign: bool
    online: bool
    added_at: datetime

    @classmethod
    def of(cls, member: InboxMember, agent: Agent) -> InboxMemberDetail:
        return cls(
            inbox_id=member.inbox_id,
            agent_id=member.agent_id,
            accept_auto_assign=agent.accept_auto_assign,
            added_at=member.added_at,
            **_member(agent),
        )


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
            **_member(agent),
        )


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
