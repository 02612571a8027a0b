"""Group commit of messages: sends that arrive while others are being written share the next
transaction.

At a light load every send is a transaction of its own, started at once. Under load up to
``WRITERS`` transactions are in flight and the sends that arrive meanwhile wait for the next
free one, which takes them all: a commit (and its fsync, its BEGIN, its locks, its outbox
INSERT) then carries many messages, so the cost per message falls as the load rises instead
of the queue growing without end.

Durability is not what is traded: each batch is one commit made with ``synchronous_commit``
on (every connection of ``core.db.Database`` is), and no send hears its outcome before the
commit of its batch returned.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

import structlog

from switchboard.chat.service.messages import Draft, SentMessage

__all__ = ["MessageWriter", "WriteMessages"]

log = structlog.get_logger(__name__)

WRITERS = 4  # transactions in flight at once (each holds a pooled connection)
MAX_BATCH = 100

_Waiting = tuple[Draft, "asyncio.Future[SentMessage]"]
# Writes drafts in one transaction: an outcome per draft, in order (an error for a draft that
# was refused without touching the others).
WriteMessages = Callable[[Sequence[Draft]], Awaitable[Sequence[SentMessage | Exception]]]


class MessageWriter:
    def __init__(self, write: WriteMessages) -> None:
        self._write_drafts = write
        self._waiting: list[_Waiting] = []
        self._writing = 0
        self._tasks: set[asyncio.Task[None]] = set()

    async def send(self, draft: Draft) -> SentMessage:
        """Write the draft (with whatever else is waiting); its outcome, or its error."""
        future: asyncio.Future[SentMessage] = asyncio.get_running_loop().create_future()
        self._waiting.append((draft, future))
        if self._writing < WRITERS:
            self._writing += 1
            task = asyncio.create_task(self._write_while_waiting())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _write_while_waiting(self) -> None:
        try:
            while self._waiting:
                batch = self._waiting[:MAX_BATCH]
                del self._waiting[:MAX_BATCH]
                # A caller that went away (its request was cancelled) is not written.
                await self._write([item for item in batch if not item[1].done()])
        finally:
            self._writing -= 1

    async def _write(self, batch: Sequence[_Waiting]) -> None:
        if not batch:
            return
        try:
            outcomes = await self._write_drafts([draft for draft, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0][1], exc)
                return
            # One bad message must not fail the others: each is tried alone.
            log.warning("message_batch_failed", size=len(batch), error=repr(exc))
            for item in batch:
                await self._write([item])
            return
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            _settle(future, outcome)


def _settle(future: asyncio.Future[SentMessage], outcome: SentMessage | Exception) -> None:
    if future.done():
        return
    if isinstance(outcome, Exception):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
