"""Chat's own objects, built in its lifespan once the runtime is up (``app.state.service``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial

from switchboard.chat.attachments.store.objects import Storage, open_storage
from switchboard.chat.service.messages import write_messages
from switchboard.chat.service.writer import MessageWriter
from switchboard.core.app import ServiceState
from switchboard.core.runtime import DatabaseRuntime

__all__ = ["ChatState", "chat_state"]


@dataclass(frozen=True)
class ChatState(ServiceState):
    # The one group-committing writer of this process's sends: every send shares its batches.
    writer: MessageWriter
    # Where attachments' files are kept (SB_ATTACHMENT_STORAGE).
    storage: Storage


@asynccontextmanager
async def chat_state(runtime: DatabaseRuntime) -> AsyncIterator[ChatState]:
    async with open_storage(runtime.settings) as storage:
        yield ChatState(writer=MessageWriter(partial(write_messages, runtime)), storage=storage)
