"""Suite-level fixtures: all services as real processes, and a shop to talk to them with."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
import pytest
import pytest_asyncio

from switchboard.core.settings import Settings
from switchboard.core.testing import Caller, SocketClient
from tests.suite import Suite, connect

ROUTING_INSTANCES = {"routing": 2}
# The table tests/test_faults.py measured, printed at the end of the run.
FAULT_TABLE = pytest.StashKey[str]()


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    table = config.stash.get(FAULT_TABLE, None)
    if table:
        terminalreporter.write_sep("-", "faults (tests/test_faults.py)")
        terminalreporter.write_line(table)


@pytest.fixture(scope="session")
def suite_log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("suite-logs")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def suite(sb_settings: Settings, suite_log_dir: Path) -> AsyncIterator[Suite]:
    """One running suite for the whole session, with two routing processes (as in production,
    so every end-to-end test also proves they share the work without stepping on each other)."""
    running = Suite(settings=sb_settings, log_dir=suite_log_dir, instances=ROUTING_INSTANCES)
    running.start()
    try:
        await running.wait_ready()
        yield running
    finally:
        running.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def http(suite: Suite) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=suite.base_url, timeout=10.0) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def sockets() -> AsyncIterator[list[SocketClient]]:
    """Every socket a test opens, closed at its end whatever happened."""
    opened: list[SocketClient] = []
    yield opened
    await asyncio.gather(*(socket.close() for socket in opened), return_exceptions=True)


@dataclass
class Agent(Caller):
    id: str
    email: str
    token: str


@dataclass
class Visitor(Caller):
    id: str
    token: str


@dataclass
class Shop:
    """An account with its admin and one website inbox, made through the CLI and the API."""

    account_id: str
    admin: Agent
    inbox_id: str
    widget_token: str
    http: httpx.AsyncClient

    async def agent(self, name: str = "Lan", *, role: str = "agent", member: bool = True) -> Agent:
        email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@shop.example"
        response = await self.http.post(
            "/v1/agents",
            json={"name": name, "email": email, "password": "a-long-password", "role": role},
            headers=self.admin.headers,
        )
        assert response.status_code == 201, response.text
        agent_id = response.json()["id"]
        if member:
            added = await self.http.post(
                f"/v1/inboxes/{self.inbox_id}/members",
                json={"agent_id": agent_id},
                headers=self.admin.headers,
            )
            assert added.status_code == 201, added.text
        return Agent(
            id=agent_id, email=email, token=await login(self.http, email, "a-long-password")
        )

    async def visitor(self, name: str = "Huyền") -> Visitor:
        response = await self.http.post(
            f"/v1/public/inboxes/{self.widget_token}/visitors", json={"name": name}
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return Visitor(id=body["visitor_id"], token=body["token"])

    async def open_conversation(
        self, visitor: Visitor | None = None, content: str = "Xin chào"
    ) -> str:
        """A conversation the visitor (a new one by default) opens with ``content``: its id."""
        visitor = visitor or await self.visitor()
        response = await self.http.post(
            "/v1/public/conversations", json={"content": content}, headers=visitor.headers
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def assignee_of(self, conversation_id: str) -> str | None:
        response = await self.http.get(
            f"/v1/conversations/{conversation_id}", headers=self.admin.headers
        )
        assert response.status_code == 200, response.text
        assignee: str | None = response.json()["assignee_id"]
        return assignee


async def visitor_socket(
    suite: Suite, visitor: Visitor, sockets: list[SocketClient]
) -> SocketClient:
    """A visitor's socket, logged in, closed by the test's ``sockets`` fixture."""
    socket = await connect(suite, "visitor", visitor.token)
    sockets.append(socket)
    return socket


async def go_online(
    suite: Suite, agent: Agent, sockets: list[SocketClient], *, accept: bool = True
) -> SocketClient:
    """The agent's socket, with the agent online (and accepting, unless told otherwise)."""
    socket = await connect(suite, "agent", agent.token)
    sockets.append(socket)
    response = await socket.request(
        "set_availability", {"status": "online", "accept_auto_assign": accept}
    )
    assert response["ok"], response
    return socket


async def login(http: httpx.AsyncClient, email: str, password: str) -> str:
    response = await http.post("/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@dataclass(frozen=True)
class Account:
    """An account made through the CLI, and its admin, logged in."""

    id: str
    admin: Agent


async def create_account(suite: Suite, http: httpx.AsyncClient) -> Account:
    email = f"owner-{uuid.uuid4().hex[:8]}@shop.example"
    created = orjson.loads(
        suite.cli(
            "create-account",
            "--name",
            "Shop",
            "--admin-email",
            email,
            "--admin-password",
            "owner-password",
        )
    )
    admin = Agent(
        id=created["admin_id"], email=email, token=await login(http, email, "owner-password")
    )
    return Account(id=created["account_id"], admin=admin)


async def shop_of(account: Account, http: httpx.AsyncClient, inbox: str = "Website") -> Shop:
    """The account with a new website inbox."""
    response = await http.post("/v1/inboxes", json={"name": inbox}, headers=account.admin.headers)
    assert response.status_code == 201, response.text
    return Shop(
        account_id=account.id,
        admin=account.admin,
        inbox_id=response.json()["id"],
        widget_token=response.json()["widget_token"],
        http=http,
    )


async def open_shop(suite: Suite, http: httpx.AsyncClient) -> Shop:
    """A new account with its admin and one website inbox."""
    return await shop_of(await create_account(suite, http), http)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def account(suite: Suite) -> Account:
    """One account for a module: making one runs the CLI, the slow part."""
    async with httpx.AsyncClient(base_url=suite.base_url, timeout=10.0) as http:
        return await create_account(suite, http)


@pytest_asyncio.fixture(loop_scope="session")
async def shop(account: Account, http: httpx.AsyncClient) -> Shop:
    """The module's account with an inbox of the test's own: the agents made through it are
    members of this inbox only, so no test routes to another's agents or queue."""
    return await shop_of(account, http)
