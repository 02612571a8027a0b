"""Use cases of read positions: mark a conversation read (an agent or its visitor), and what a
reader's own reads of a conversation show (its labels, his star, his unread count)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.errors import MessageNotFound
from switchboard.chat.organising.domain.reading import ReaderType, moves_forward
from switchboard.chat.organising.service import events
from switchboard.chat.organising.store import labels as label_store
from switchboard.chat.organising.store import reads as store
from switchboard.chat.organising.store import stars as star_store
from switchboard.chat.service.access import conversation_view
from switchboard.chat.store import participants as participant_store
from switchboard.chat.store.conversations import ConversationView
from switchboard.chat.store.models import Label
from switchboard.core.auth import Principal
from switchboard.core.events import utcnow
from switchboard.core.runtime import DatabaseRuntime


@dataclass(frozen=True)
class ReadState:
    """A reader's position in a conversation and what is still unread after it."""

    conversation_id: UUID
    last_read_message_id: UUID | None
    read_at: datetime | None
    unread_count: int


@dataclass(frozen=True)
class Organised:
    """What an agent's read of a conversation adds: its labels, his star, his unread count."""

    labels: list[Label]
    starred: bool
    unread_count: int


def _reader_type(reader: Principal) -> ReaderType:
    return "visitor" if reader.kind == "visitor" else "agent"


async def mark_read(
    runtime: DatabaseRuntime,
    *,
    reader: Principal,
    conversation_id: UUID,
    message_id: UUID | None = None,
    origin: str | None = None,
) -> ReadState:
    """Move the reader's position up to ``message_id`` (default: the latest message he may
    see); it never moves back. ``conversation.read`` goes out when it moved."""
    reader_type, account_id = _reader_type(reader), reader.account_id
    now = utcnow()
    async with runtime.work() as work:
        session = work.session
        view = await conversation_view(
            session,
            reader.account_id,
            conversation_id,
            visitor_id=reader.id if reader_type == "visitor" else None,
        )
        if message_id is None:
            target = await store.latest_mark(session, account_id, conversation_id, reader_type)
        else:
            target = await store.message_mark(
                session, account_id, conversation_id, message_id, reader_type
            )
            if target is None:
                raise MessageNotFound()
        found = await store.position(
            session, account_id, conversation_id, reader_type, reader.id, for_update=True
        )
        current = store.mark_of(found)
        read_at = found.read_at if found is not None else None
        if target is not None and moves_forward(current, target):
            moved = await store.put(
                session,
                account_id=reader.account_id,
                conversation_id=conversation_id,
                reader_type=reader_type,
                reader_id=reader.id,
                mark=target,
                at=now,
            )
            if moved:
                envelope = events.read_moved(
                    view.conversation,
                    reader_type=reader_type,
                    reader_id=reader.id,
                    message_id=target.message_id,
                    participants=await participant_store.agent_ids(session, conversation_id),
                    origin=origin,
                    at=now,
                )
                await work.publish(envelope)
                current, read_at = target, now
            else:  # another device's first read, further on, was written meanwhile
                found = await store.position(
                    session, account_id, conversation_id, reader_type, reader.id
                )
                current = store.mark_of(found)
                read_at = found.read_at if found is not None else None
        unread = await store.unread_count(
            session, account_id, conversation_id, reader_type, reader.id, current
        )
    return ReadState(
        conversation_id=conversation_id,
        last_read_message_id=current.message_id if current is not None else None,
        read_at=read_at,
        unread_count=unread,
    )


async def _unread(session: AsyncSession, reader: Principal, conversation_id: UUID) -> int:
    reader_type, account_id = _reader_type(reader), reader.account_id
    found = await store.position(session, account_id, conversation_id, reader_type, reader.id)
    return await store.unread_count(
        session, account_id, conversation_id, reader_type, reader.id, store.mark_of(found)
    )


async def organised(
    runtime: DatabaseRuntime, *, agent: Principal, conversation_id: UUID
) -> Organised:
    """The labels of the conversation, and the agent's own star and unread count."""
    async with runtime.db.session() as session:
        await conversation_view(session, agent.account_id, conversation_id)
        return Organised(
            labels=await label_store.on_conversation(session, agent.account_id, conversation_id),
            starred=await star_store.starred(session, agent.account_id, conversation_id, agent.id),
            unread_count=await _unread(session, agent, conversation_id),
        )


async def visitor_conversation(
    runtime: DatabaseRuntime, *, visitor: Principal, conversation_id: UUID
) -> tuple[ConversationView, int]:
    """The visitor's conversation and his unread count."""
    async with runtime.db.session() as session:
        view = await conversation_view(
            session, visitor.account_id, conversation_id, visitor_id=visitor.id
        )
        return view, await _unread(session, visitor, conversation_id)
