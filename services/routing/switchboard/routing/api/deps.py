"""Annotated dependencies shared by routing's routers."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends

from switchboard.core.app import service_state
from switchboard.core.auth import AgentDep, Principal
from switchboard.core.runtime import DatabaseRuntimeDep
from switchboard.routing.directory.service import access
from switchboard.routing.directory.service.chat import Chat
from switchboard.routing.service.state import RoutingState


async def _reader(conversation_id: UUID, agent: AgentDep, runtime: DatabaseRuntimeDep) -> Principal:
    await access.require_reader_in(runtime, agent, conversation_id)
    return agent


# The agent calling a path of one conversation he may see (see switchboard.core.access):
# 404 conversation_not_found when he may not, as if it did not exist, before any rule of the
# path can tell otherwise.
ReaderDep = Annotated[Principal, Depends(_reader)]


async def _chat(routing: Annotated[RoutingState, service_state(RoutingState)]) -> Chat:
    return routing.chat


# routing's client to chat (see service/chat.py).
ChatDep = Annotated[Chat, Depends(_chat)]
