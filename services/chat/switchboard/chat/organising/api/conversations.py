"""An agent organises a conversation: its labels, its priority, his star, his reading."""

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from switchboard.chat.api.deps import (
    READER_REFUSALS,
    WRITER_REFUSALS,
    OriginDep,
    ReaderDep,
    WriterDep,
)
from switchboard.chat.api.schemas import ConversationRead
from switchboard.chat.errors import LabelNotFound, MessageNotFound
from switchboard.chat.organising.api.schemas import (
    ConversationLabelsUpdate,
    PriorityUpdate,
    ReadCreate,
    ReadStateRead,
    conversation_labels,
)
from switchboard.chat.organising.service import labels, priority, reads, stars
from switchboard.contracts import chat as contract
from switchboard.core.pagination import Items
from switchboard.core.routes import answers, done, removes
from switchboard.core.runtime import DatabaseRuntimeDep

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])

_LABELS = Items[contract.Label]


@router.put("/{conversation_id}/labels", **answers(_LABELS, *WRITER_REFUSALS, LabelNotFound))
async def replace_conversation_labels(
    conversation_id: UUID,
    body: ConversationLabelsUpdate,
    agent: WriterDep,
    runtime: DatabaseRuntimeDep,
    origin: OriginDep,
) -> _LABELS:
    """Leave exactly these labels on the conversation (the last writer wins; to race other
    agents safely, add or remove one label at a time)."""
    now_on = await labels.replace_labels(
        runtime,
        agent=agent,
        conversation_id=conversation_id,
        label_ids=body.label_ids,
        origin=origin,
    )
    return _LABELS(items=conversation_labels(now_on))


async def _label(  # async: a plain def dependency runs in a worker thread
    conversation_id: UUID,
    label_id: UUID,
    agent: WriterDep,
    runtime: DatabaseRuntimeDep,
    origin: OriginDep,
) -> Callable[..., Awaitable[list[contract.Label]]]:
    """The label of the path on the conversation, to put on or take off (``on``)."""

    async def set_label(*, on: bool) -> list[contract.Label]:
        now_on = await labels.set_label(
            runtime,
            agent=agent,
            conversation_id=conversation_id,
            label_id=label_id,
            on=on,
            origin=origin,
        )
        return conversation_labels(now_on)

    return set_label


# ``await label(on=...)``: the conversation's labels after.
LabelDep = Annotated[Callable[..., Awaitable[list[contract.Label]]], Depends(_label)]


@router.put(
    "/{conversation_id}/labels/{label_id}", **answers(_LABELS, *WRITER_REFUSALS, LabelNotFound)
)
async def add_conversation_label(label: LabelDep) -> _LABELS:
    """Put a label on the conversation (idempotent); answers its labels now."""
    return _LABELS(items=await label(on=True))


@router.delete("/{conversation_id}/labels/{label_id}", **removes(*WRITER_REFUSALS, LabelNotFound))
async def remove_conversation_label(label: LabelDep) -> Response:
    """Take a label off the conversation (idempotent)."""
    await label(on=False)
    return done()


@router.put("/{conversation_id}/priority", **answers(ConversationRead, *WRITER_REFUSALS))
async def set_conversation_priority(
    conversation_id: UUID,
    body: PriorityUpdate,
    agent: WriterDep,
    runtime: DatabaseRuntimeDep,
    origin: OriginDep,
) -> ConversationRead:
    """Set the conversation's priority (none, low, medium, high, urgent): it stays through
    assignments and transfers, and the queue drains by it (highest first, then oldest)."""
    view = await priority.set_priority(
        runtime,
        agent=agent,
        conversation_id=conversation_id,
        priority=body.priority,
        origin=origin,
    )
    return ConversationRead.of(view)


async def _star(  # async: a plain def dependency runs in a worker thread
    conversation_id: UUID, agent: ReaderDep, runtime: DatabaseRuntimeDep, origin: OriginDep
) -> Callable[..., Awaitable[None]]:
    """The caller's star on the conversation, to put on or take off (``starred``)."""
    return partial(
        stars.set_star, runtime, agent=agent, conversation_id=conversation_id, origin=origin
    )


# ``await star(starred=...)``.
StarDep = Annotated[Callable[..., Awaitable[None]], Depends(_star)]


@router.put("/{conversation_id}/star", **removes(*READER_REFUSALS))
async def star_conversation(star: StarDep) -> Response:
    """Star the conversation to follow it up: the caller's own star (idempotent)."""
    await star(starred=True)
    return done()


@router.delete("/{conversation_id}/star", **removes(*READER_REFUSALS))
async def unstar_conversation(star: StarDep) -> Response:
    """Take the caller's star off the conversation (idempotent)."""
    await star(starred=False)
    return done()


@router.post("/{conversation_id}/read", **answers(ReadStateRead, *READER_REFUSALS, MessageNotFound))
async def mark_conversation_read(
    conversation_id: UUID,
    agent: ReaderDep,
    runtime: DatabaseRuntimeDep,
    origin: OriginDep,
    body: ReadCreate | None = None,
) -> ReadStateRead:
    """Mark the conversation read up to a message (default: the latest); the position never
    moves back. The caller's other devices hear ``conversation.read``."""
    state = await reads.mark_read(
        runtime,
        reader=agent,
        conversation_id=conversation_id,
        message_id=(body or ReadCreate()).message_id,
        origin=origin,
    )
    return ReadStateRead.of(state)
