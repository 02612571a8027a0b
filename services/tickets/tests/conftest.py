"""Shared helpers of the tickets tests."""

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from switchboard.contracts.chat import VisitorCreated
from switchboard.core.auth import Principal, Role
from switchboard.core.events import Envelope
from switchboard.core.settings import Settings
from switchboard.core.testing import bearer, token_for
from switchboard.tickets.app import create_app


# One app per module: tests make accounts of their own.
@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def tickets_app(sb_settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(sb_settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def tickets_client(tickets_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=tickets_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture
def tickets_headers(sb_settings: Settings) -> Callable[..., dict[str, str]]:
    """Authorization headers of an agent (or a visitor) of ``account_id``."""

    def headers(account_id: uuid.UUID, *, kind: str = "agent") -> dict[str, str]:
        if kind == "visitor":
            principal = Principal(
                kind="visitor", id=uuid.uuid4(), account_id=account_id, inbox_id=uuid.uuid4()
            )
        else:
            principal = Principal(
                kind="agent", id=uuid.uuid4(), account_id=account_id, role=Role.agent
            )
        return bearer(token_for(sb_settings, principal, ttl_seconds=60))

    return headers


def visitor_created(account_id: uuid.UUID, **fields: Any) -> Envelope:
    """A ``visitor.created`` of chat, as the bus delivers it."""
    details = {"name": None, "email": None, "phone": None} | fields
    visitor = VisitorCreated(
        visitor_id=details.pop("visitor_id", uuid.uuid4()), inbox_id=uuid.uuid4(), **details
    )
    return Envelope.of(visitor, account_id=account_id, key=visitor.visitor_id)
