"""Shared helpers of the tickets tests."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI

from switchboard.contracts.chat import VisitorCreated
from switchboard.core.auth import Principal, Role
from switchboard.core.events import Envelope
from switchboard.core.settings import Settings
from switchboard.core.testing import AppClient, bearer, served, token_for
from switchboard.tickets.app import create_app

# One app per module: tests make accounts of their own.
tickets_client = served(create_app)


@pytest.fixture(scope="module")
def tickets_app(tickets_client: AppClient) -> FastAPI:
    return tickets_client.app


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
