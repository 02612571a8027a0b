"""Request and response bodies of the routing API."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from switchboard.core.auth import Role
from switchboard.core.text import Text, TextRules
from switchboard.core.values import Boolean, IntegerRules
from switchboard.routing.assignment.domain.availability import AgentStatus
from switchboard.routing.directory.domain.emails import (
    EMAIL_MAX_LENGTH,
    EMAIL_PATTERN,
    normalize_email,
)
from switchboard.routing.directory.service.agents import AgentView

if TYPE_CHECKING:  # the rows the use cases return
    from switchboard.routing.store.models import Agent, InboxMember

Name = Annotated[str, TextRules(max_length=200, blank=False, trim=True)]
Email = Annotated[str, TextRules(max_length=320, trim=True)]
NewEmail = Annotated[str, TextRules(max_length=EMAIL_MAX_LENGTH, pattern=EMAIL_PATTERN, trim=True)]
Password = Annotated[Text, Field(min_length=8, max_length=1024)]
Capacity = Annotated[int, IntegerRules(ge=0, le=1000)]


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

    capacity: Capacity | None = None
    # Not null: leave the field out to keep the value (the schema says so; null is a 422).
    role: Role | SkipJsonSchema[None] = Field(
        default=None, description="A new role ends the agent's sessions: he refreshes his token."
    )
    active: Boolean | SkipJsonSchema[None] = Field(
        default=None,
        description="false: the agent cannot log in and his tokens and sockets end at once.",
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

    @classmethod
    def of(cls, view: AgentView) -> AgentRead:
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
        )


class AgentList(BaseModel):
    items: list[AgentRead]
    next_cursor: str | None = None


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
            name=agent.name,
            role=Role(agent.role),
            status=AgentStatus(agent.status),
            accept_auto_assign=agent.accept_auto_assign,
            online=agent.connected,
            added_at=member.added_at,
        )


class InboxMemberList(BaseModel):
    items: list[InboxMemberDetail]
    next_cursor: str | None = None
