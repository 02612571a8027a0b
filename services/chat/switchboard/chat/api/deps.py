"""Annotated dependencies shared by chat's routers."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Header

from switchboard.chat.api.schemas import REPLAYED, MessageRead
from switchboard.chat.errors import ConversationNotFound, ReadOnly
from switchboard.chat.service import access
from switchboard.chat.service.state import ChatState
from switchboard.chat.service.writer import MessageWriter
from switchboard.contracts.text import Text
from switchboard.core.access import Access
from switchboard.core.app import service_state
from switchboard.core.auth import AgentDep, Principal
from switchboard.core.errors import AppError
from switchboard.core.routes import creates
from switchboard.core.runtime import DatabaseRuntimeDep

ORIGIN_MAX_LENGTH = 200


async def _origin(  # async: a plain def dependency runs in a worker thread
    x_switchboard_origin: Annotated[
        Text | None,
        Header(
            max_length=ORIGIN_MAX_LENGTH,
            include_in_schema=False,
            description="Set by the gateway: '<connection id>:<request id>'",
        ),
    ] = None,
) -> str | None:
    return x_switchboard_origin or None


OriginDep = Annotated[str | None, Depends(_origin)]


async def _message_writer(chat: Annotated[ChatState, service_state(ChatState)]) -> MessageWriter:
    return chat.writer


# The group-committing writer of sends (see service/writer.py), built in the lifespan.
MessageWriterDep = Annotated[MessageWriter, Depends(_message_writer)]


def _may(need: Access) -> Any:
    async def check(
        conversation_id: UUID, agent: AgentDep, runtime: DatabaseRuntimeDep
    ) -> Principal:
        await access.require_in(runtime, agent, conversation_id, need)
        return agent

    return Depends(check)


# The agent calling a path of one conversation, who may read it / write to it (see
# switchboard.core.access): 404 when he may not see it, 403 read_only when he may only read.
ReaderDep = Annotated[Principal, _may(Access.read)]
WriterDep = Annotated[Principal, _may(Access.write)]


# The errors of every path behind ``ReaderDep`` / ``WriterDep``, before the use case's own:
# ``lists(MessageRead, *READER_REFUSALS)``.
READER_REFUSALS: tuple[type[AppError], ...] = (ConversationNotFound,)
WRITER_REFUSALS: tuple[type[AppError], ...] = (ConversationNotFound, ReadOnly)


def sends(*refused: type[AppError]) -> dict[str, Any]:
    """The route arguments of a path that sends a message: 201, or 200 when it replays a
    ``client_message_id`` (``REPLAYED``), or one of its ``refused`` answers."""
    return creates(MessageRead, *refused, also=REPLAYED)
