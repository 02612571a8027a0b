"""Routing's own objects, built in its lifespan once the runtime is up (``app.state.service``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from switchboard.core.app import ServiceState
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.directory.service.chat import Chat

__all__ = ["RoutingState", "routing_state"]


@dataclass(frozen=True)
class RoutingState(ServiceState):
    chat: Chat  # routing's client to chat (see service/chat.py)


@asynccontextmanager
async def routing_state(runtime: DatabaseRuntime) -> AsyncIterator[RoutingState]:
    async with httpx.AsyncClient(timeout=10.0) as http:
        yield RoutingState(chat=Chat(runtime.settings.service_url("chat"), http))
