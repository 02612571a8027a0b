"""Shared helpers of chat's tests: one in-process app per module, accounts with tokens."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest_asyncio
from fastapi import FastAPI
from sqlalchemy import func, select

from switchboard.chat.app import create_app
from switchboard.chat.events.handlers import handlers
from switchboard.chat.store.models import Conversation, Message
from switchboard.contracts.event import Event
from switchboard.contracts.routing import AgentCreated, InboxMemberAdded
from switchboard.core.auth import Principal, Role
from switchboard.core.events import Envelope
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.settings import Settings
from switchboard.core.testing import bearer, serving, token_for

_HERE = Path(__file__).parent


@dataclass
class ChatService:
    app: FastAPI
    client: httpx.AsyncClient
    settings: Settings

    @property
    def runtime(self) -> DatabaseRuntime:
        runtime: DatabaseRuntime = self.app.state.runtime
        return runtime


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def chat_service(sb_settings: Settings) -> AsyncIterator[ChatService]:
    app = create_app(sb_settings)
    async with serving(app) as client:
        yield ChatService(app=app, client=client, settings=sb_settings)


@dataclass
class ChatAccount:
    """An account with an admin, two agents and an inbox, talking to the chat app."""

    service: ChatService
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    admin_id: uuid.UUID = field(default_factory=uuid.uuid4)
    agent_id: uuid.UUID = field(default_factory=uuid.uuid4)
    inbox: dict[str, Any] = field(default_factory=dict)

    @property
    def client(self) -> httpx.AsyncClient:
        return self.service.client

    def headers(self, agent_id: uuid.UUID, role: Role = Role.agent) -> dict[str, str]:
        principal = Principal(kind="agent", id=agent_id, account_id=self.id, role=role)
        return bearer(token_for(self.service.settings, principal))

    @property
    def admin(self) -> dict[str, str]:
        return self.headers(self.admin_id, Role.admin)

    @property
    def agent(self) -> dict[str, str]:
        return self.headers(self.agent_id)

    @property
    def supervisor(self) -> dict[str, str]:
        """A supervisor of the account (a new one each time: supervisors see the account)."""
        return self.headers(uuid.uuid4(), Role.supervisor)

    async def create_inbox(self, name: str = "Website") -> dict[str, Any]:
        response = await self.client.post("/v1/inboxes", json={"name": name}, headers=self.admin)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def deliver(self, payload: Event, *, key: object, origin: str | None = None) -> Envelope:
        """Routing's ``payload`` handled by chat's consumer, as the bus delivers it."""
        event = Envelope.of(payload, account_id=self.id, key=str(key), origin=origin)
        await handlers.handler(self.service.runtime)(event)
        return event

    async def announce_agent(
        self, agent_id: uuid.UUID | None = None, *, name: str = "Agent", role: Role = Role.agent
    ) -> uuid.UUID:
        """An agent of the account (a new one unless ``agent_id``), as routing told chat."""
        agent_id = agent_id or uuid.uuid4()
        email = f"{agent_id.hex[:8]}@example.com"
        created = AgentCreated(agent_id=agent_id, name=name, email=email, role=role)
        await self.deliver(created, key=agent_id)
        return agent_id

    async def add_member(self, agent_id: uuid.UUID, inbox_id: str | None = None) -> None:
        """Make the agent a member of the inbox, as routing announces it."""
        inbox_id = inbox_id or self.inbox["id"]
        await self.deliver(InboxMemberAdded(inbox_id=inbox_id, agent_id=agent_id), key=inbox_id)

    async def create_visitor(
        self, inbox: dict[str, Any] | None = None, **fields: Any
    ) -> tuple[str, dict[str, str]]:
        """A visitor of the account's inbox (or of ``inbox``): (visitor id, its headers)."""
        token = (inbox or self.inbox)["widget_token"]
        response = await self.client.post(f"/v1/public/inboxes/{token}/visitors", json=fields)
        assert response.status_code == 201, response.text
        body = response.json()
        return body["visitor_id"], bearer(body["token"])

    async def open_conversation(
        self, visitor: dict[str, str], content: str | None = None
    ) -> dict[str, Any]:
        body = {"content": content} if content is not None else {}
        response = await self.client.post("/v1/public/conversations", json=body, headers=visitor)
        assert response.status_code == 201, response.text
        conversation: dict[str, Any] = response.json()
        return conversation

    async def events(self, *types: str) -> list[Envelope]:
        """The events of this account on chat's stream, oldest first."""
        bus = self.service.runtime.bus
        entries = await bus.redis.xrange(bus.stream("chat"))
        envelopes = [Envelope.decode(fields[b"e"]) for _, fields in entries]
        return [
            e for e in envelopes if e.account_id == str(self.id) and (not types or e.type in types)
        ]

    async def count_messages(self) -> int:
        async with self.service.runtime.db.session() as session:
            count = await session.scalar(
                select(func.count()).select_from(Message).where(Message.account_id == self.id)
            )
        return int(count or 0)

    async def count_messages_in(self, conversation_id: str) -> int:
        async with self.service.runtime.db.session() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(Message)
                .where(Message.conversation_id == uuid.UUID(conversation_id))
            )
        return int(count or 0)

    async def count_conversations(self) -> int:
        async with self.service.runtime.db.session() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(Conversation)
                .where(Conversation.account_id == self.id)
            )
        return int(count or 0)


@pytest_asyncio.fixture(loop_scope="session")
async def chat_account(chat_service: ChatService) -> ChatAccount:
    account = ChatAccount(service=chat_service)
    account.inbox = await account.create_inbox()
    await account.add_member(account.agent_id)
    return account


@pytest_asyncio.fixture(loop_scope="session")
async def chat_other_account(chat_service: ChatService) -> ChatAccount:
    account = ChatAccount(service=chat_service)
    account.inbox = await account.create_inbox("Other")
    await account.add_member(account.agent_id)
    return account


def error_code(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    code: str = body["error"]["code"]
    return code
