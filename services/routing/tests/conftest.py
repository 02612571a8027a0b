"""Shared helpers of routing's tests: a runtime, the app over HTTP, accounts and agents."""

from __future__ import annotations

import functools
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
import pytest_asyncio
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import select
from uuid6 import uuid7

from switchboard.contracts.chat import (
    ConversationCreated,
    ConversationStatusChanged,
    InboxCreated,
    Message,
    MessageCreated,
)
from switchboard.contracts.event import Event
from switchboard.contracts.gateway import PresenceChanged
from switchboard.core.auth import Principal, Role
from switchboard.core.events import Envelope, utcnow
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.settings import Settings
from switchboard.core.testing import AppClient, Caller, a_conversation, served, token_for
from switchboard.routing.app import create_app
from switchboard.routing.assignment.domain.availability import AgentStatus
from switchboard.routing.assignment.service.availability import set_availability
from switchboard.routing.assignment.store import loads
from switchboard.routing.directory.service.agents import add_agent, outbox_of
from switchboard.routing.directory.service.inbox_routing import set_inbox_routing
from switchboard.routing.directory.service.memberships import add_inbox_member
from switchboard.routing.directory.service.teams import add_team_member, create_team
from switchboard.routing.events.handlers import handlers
from switchboard.routing.store import conversations as conversation_store
from switchboard.routing.store.models import Account, Base, QueuedConversation

from .helpers import PASSWORD

_HERE = Path(__file__).parent


@functools.cache
def _password_hash() -> str:
    return PasswordHasher().hash(PASSWORD)


@dataclass(frozen=True)
class SeededAgent(Caller):
    id: UUID
    account_id: UUID
    email: str
    role: Role
    token: str


def unique_email(label: str = "agent") -> str:
    return f"{label}-{uuid.uuid4().hex[:10]}@example.com"


def access_token(settings: Settings, *, agent_id: UUID, account_id: UUID, role: Role) -> str:
    principal = Principal(kind="agent", id=agent_id, account_id=account_id, role=role)
    return token_for(settings, principal, ttl_seconds=settings.access_token_ttl_seconds)


# A runtime and an app per module: tests make accounts of their own, so they can share one.


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def routing_runtime(sb_settings: Settings) -> AsyncIterator[DatabaseRuntime]:
    runtime = DatabaseRuntime("routing", sb_settings, Base.metadata)
    yield runtime
    await runtime.close()


routing_client = served(create_app)


@pytest.fixture(scope="module")
def routing_app(routing_client: AppClient) -> FastAPI:
    return routing_client.app


def delivered(
    payload: Event, *, account_id: UUID, key: UUID, at: datetime | None = None
) -> Envelope:
    """``payload`` as the bus delivers it; ``at``: when it happened (else now)."""
    event = Envelope.of(payload, account_id=account_id, key=key)
    return event if at is None else event.model_copy(update={"occurred_at": at})


def presence_event(agent: SeededAgent, *, online: bool, at: datetime | None = None) -> Envelope:
    presence = PresenceChanged(agent_id=agent.id, online=online, connections=int(online))
    return delivered(presence, account_id=agent.account_id, key=agent.id, at=at)


def conversation_created(
    account_id: UUID, inbox_id: UUID, *, at: datetime | None = None
) -> Envelope:
    now = at or utcnow()
    conversation = a_conversation(now, inbox_id=inbox_id)
    created = ConversationCreated(conversation=conversation)
    return delivered(created, account_id=account_id, key=conversation.id, at=now)


def inbox_created(account_id: UUID, inbox_id: UUID, name: str = "Website") -> Envelope:
    return delivered(
        InboxCreated(inbox_id=inbox_id, name=name), account_id=account_id, key=inbox_id
    )


@dataclass
class RoutingKit:
    """Factories and readers over one routing runtime (not a running app)."""

    runtime: DatabaseRuntime

    presence_event = staticmethod(presence_event)
    conversation_created = staticmethod(conversation_created)
    inbox_created = staticmethod(inbox_created)

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    async def handle(self, event: Envelope) -> None:
        await handlers.handler(self.runtime)(event)

    async def new_account(self) -> SeededAgent:
        """A fresh account and its admin (as ``create_account`` makes them, minus the hashing)."""
        async with self.runtime.work() as work:
            session = work.session
            account = Account(id=uuid7(), name="Acme", created_at=utcnow())
            session.add(account)
            await session.flush()
        return await self.new_agent(account.id, role=Role.admin, name="Ada Admin")

    async def new_agent(
        self, account_id: UUID, *, role: Role = Role.agent, name: str = "Bao Agent"
    ) -> SeededAgent:
        """An agent whose password is ``PASSWORD``, hashed once per test run to keep tests fast."""
        email = unique_email(role.value)
        async with self.runtime.work() as work:
            session = work.session
            agent = await add_agent(
                session,
                outbox_of(self.runtime),
                account_id=account_id,
                name=name,
                email=email,
                password_hash=_password_hash(),
                role=role,
            )
        token = access_token(self.settings, agent_id=agent.id, account_id=account_id, role=role)
        return SeededAgent(agent.id, account_id, email, role, token)

    async def add_member(
        self, agent: SeededAgent, inbox_id: UUID, *, inbox_name: str = "Website"
    ) -> None:
        await add_inbox_member(
            self.runtime,
            account_id=agent.account_id,
            inbox_id=inbox_id,
            agent_id=agent.id,
            inbox_name=inbox_name,
        )

    async def go_online(self, agent: SeededAgent, *, accept: bool = True) -> None:
        await set_availability(
            self.runtime,
            account_id=agent.account_id,
            agent_id=agent.id,
            status=AgentStatus.online,
            accept_auto_assign=accept,
        )

    async def member(
        self, account_id: UUID, inbox_id: UUID, *, online: bool = True, accept: bool = True
    ) -> SeededAgent:
        """An agent of the inbox, connected; online and accepting automatic chats (``accept``)
        unless told otherwise."""
        agent = await self.new_agent(account_id)
        await self.add_member(agent, inbox_id)
        if online:
            await self.go_online(agent, accept=accept)
        await self.handle(presence_event(agent, online=True))
        return agent

    async def eligible_member(
        self, account_id: UUID, inbox_id: UUID, *, connected: bool = True
    ) -> SeededAgent:
        """An agent of the inbox, online and accepting; connected unless told otherwise."""
        agent = await self.new_agent(account_id)
        await self.add_member(agent, inbox_id)
        await self.go_online(agent)
        if connected:
            await self.handle(presence_event(agent, online=True))
        return agent

    async def set_capacity(self, account_id: UUID, default_capacity: int) -> None:
        """The account's default capacity (what ``PATCH /v1/accounts/current`` changes)."""
        async with self.runtime.work() as work:
            session = work.session
            account = await session.get(Account, account_id)
            assert account is not None
            account.default_capacity = default_capacity

    async def routing_events(self, account_id: UUID, event_type: str) -> list[Envelope]:
        """Every event of ``event_type`` routing published for the account, in stream order."""
        bus = self.runtime.bus
        found = []
        for entry_id, fields in await bus.redis.xrange(bus.stream("routing")):
            envelope = bus.decode_entry("routing", entry_id, fields).envelope
            if envelope.type == event_type and envelope.account_id == str(account_id):
                found.append(envelope)
        return found

    async def queued(self, account_id: UUID) -> list[UUID]:
        """The account's queued conversations, oldest first."""
        async with self.runtime.db.session() as session:
            rows = await session.scalars(
                select(QueuedConversation.conversation_id)
                .where(QueuedConversation.account_id == account_id)
                .order_by(QueuedConversation.queued_at)
            )
            return list(rows)

    async def assignments(self, account_id: UUID) -> list[tuple[str, str]]:
        """(conversation id, agent id) of every assignment.created of the account, in order."""
        return [
            (e.data["conversation_id"], e.data["agent_id"])
            for e in await self.routing_events(account_id, "assignment.created")
        ]


def status_changed(
    account_id: UUID, inbox_id: UUID, conversation_id: UUID, status: str
) -> Envelope:
    changed = ConversationStatusChanged(
        conversation_id=conversation_id,
        inbox_id=inbox_id,
        status=status,
        previous_status="open" if status != "open" else "resolved",
        snoozed_until=None,
        assignee_id=None,
    )
    return delivered(changed, account_id=account_id, key=conversation_id)


def message_created(
    account_id: UUID, inbox_id: UUID, conversation_id: UUID, *, sender_id: UUID, private: bool
) -> Envelope:
    message = Message(
        id=uuid.uuid4(),
        conversation_id=conversation_id,
        sender_type="agent",
        sender_id=sender_id,
        content="hello",
        private=private,
        client_message_id=None,
        created_at=utcnow(),
    )
    created = MessageCreated(conversation_id=conversation_id, inbox_id=inbox_id, message=message)
    return delivered(created, account_id=account_id, key=conversation_id)


class FloorKit(RoutingKit):
    """The support floor's helpers: inboxes with routing, teams, conversations, loads."""

    async def inbox(
        self,
        account_id: UUID,
        *,
        strategy: str = "round_robin",
        team_id: UUID | None = None,
        timeout: int | None = None,
    ) -> UUID:
        inbox_id = uuid.uuid4()
        await self.handle(inbox_created(account_id, inbox_id))
        await set_inbox_routing(
            self.runtime,
            account_id=account_id,
            inbox_id=inbox_id,
            strategy=strategy,
            team_id=team_id,
            response_timeout_seconds=timeout,
        )
        return inbox_id

    async def team(
        self,
        account_id: UUID,
        *,
        strategy: str = "round_robin",
        fallback_team_id: UUID | None = None,
        transfer_team_ids: tuple[UUID, ...] = (),
    ) -> UUID:
        view = await create_team(
            self.runtime,
            account_id=account_id,
            name=f"team-{uuid.uuid4().hex[:8]}",
            strategy=strategy,
            fallback_team_id=fallback_team_id,
            transfer_team_ids=transfer_team_ids,
        )
        return view.team.id

    async def online_agent(
        self,
        account_id: UUID,
        *,
        inbox_id: UUID | None = None,
        team_id: UUID | None = None,
        role: Role = Role.agent,
    ) -> SeededAgent:
        """An agent online, accepting and connected; a member of the inbox and/or team."""
        agent = await self.new_agent(account_id, role=role)
        if inbox_id is not None:
            await self.add_member(agent, inbox_id)
        if team_id is not None:
            await add_team_member(
                self.runtime, account_id=account_id, team_id=team_id, agent_id=agent.id
            )
        await self.go_online(agent)
        await self.handle(presence_event(agent, online=True))
        return agent

    async def account_with_inbox(
        self, *, strategy: str = "round_robin", timeout: int | None = None
    ) -> tuple[SeededAgent, UUID]:
        """A fresh account's admin, and an inbox of the account routed by ``strategy``."""
        admin = await self.new_account()
        return admin, await self.inbox(admin.account_id, strategy=strategy, timeout=timeout)

    async def staffed_inbox(self, account_id: UUID, agents: int) -> tuple[UUID, list[SeededAgent]]:
        """A new inbox and ``agents`` online agents, its members."""
        inbox_id = await self.inbox(account_id)
        return inbox_id, [
            await self.online_agent(account_id, inbox_id=inbox_id) for _ in range(agents)
        ]

    @staticmethod
    def arrivals(
        account_id: UUID, inbox_id: UUID, count: int, *, since: datetime
    ) -> list[Envelope]:
        """``count`` conversations created in the inbox, 10 ms apart from ``since``."""
        return [
            conversation_created(account_id, inbox_id, at=since + timedelta(milliseconds=10 * n))
            for n in range(count)
        ]

    async def open_conversation(
        self, account_id: UUID, inbox_id: UUID, *, at: datetime | None = None
    ) -> UUID:
        event = conversation_created(account_id, inbox_id, at=at)
        await self.handle(event)
        return UUID(event.data["conversation"]["id"])

    async def set_status(
        self, account_id: UUID, inbox_id: UUID, conversation_id: UUID, status: str
    ) -> None:
        await self.handle(status_changed(account_id, inbox_id, conversation_id, status))

    async def reply(
        self,
        account_id: UUID,
        inbox_id: UUID,
        conversation_id: UUID,
        agent_id: UUID,
        *,
        private: bool = False,
    ) -> None:
        await self.handle(
            message_created(
                account_id, inbox_id, conversation_id, sender_id=agent_id, private=private
            )
        )

    async def assignee(self, conversation_id: UUID) -> UUID | None:
        async with self.runtime.db.session() as session:
            return await conversation_store.assignee_of(session, conversation_id)

    async def load(self, agent_id: UUID) -> int:
        async with self.runtime.db.session() as session:
            return (await loads.loads(session, [agent_id]))[agent_id][0]

    async def events_of(self, account_id: UUID, event_type: str, **data: object) -> list[Envelope]:
        """Events of the type whose data has every given key and value (as strings)."""
        found = await self.routing_events(account_id, event_type)
        return [e for e in found if all(str(e.data.get(k)) == str(v) for k, v in data.items())]


@pytest_asyncio.fixture(loop_scope="session")
async def floor_kit(routing_runtime: DatabaseRuntime) -> FloorKit:
    return FloorKit(routing_runtime)


@pytest_asyncio.fixture(loop_scope="session")
async def routing_kit(routing_runtime: DatabaseRuntime) -> RoutingKit:
    return RoutingKit(routing_runtime)
