"""The widget's reading: the visitor's conversation with his unread count, and his "seen"."""

from uuid import UUID

from fastapi import APIRouter

from switchboard.chat.api.deps import OriginDep
from switchboard.chat.api.schemas import WidgetConversationRead
from switchboard.chat.errors import ConversationNotFound, MessageNotFound
from switchboard.chat.organising.api.schemas import (
    ReadCreate,
    ReadStateRead,
    VisitorConversationRead,
)
from switchboard.chat.organising.service import reads
from switchboard.core.auth import VisitorDep
from switchboard.core.routes import answers
from switchboard.core.runtime import DatabaseRuntimeDep

router = APIRouter(prefix="/v1/public/conversations", tags=["widget"])


@router.get("/{conversation_id}", **answers(VisitorConversationRead, ConversationNotFound))
async def get_visitor_conversation(
    conversation_id: UUID, visitor: VisitorDep, runtime: DatabaseRuntimeDep
) -> VisitorConversationRead:
    """The visitor's conversation, with how many agents' messages he has not read."""
    view, unread = await reads.visitor_conversation(
        runtime, visitor=visitor, conversation_id=conversation_id
    )
    return VisitorConversationRead(
        **WidgetConversationRead.of(view).model_dump(), unread_count=unread
    )


@router.post(
    "/{conversation_id}/read", **answers(ReadStateRead, ConversationNotFound, MessageNotFound)
)
async def mark_visitor_read(
    conversation_id: UUID,
    visitor: VisitorDep,
    runtime: DatabaseRuntimeDep,
    origin: OriginDep,
    body: ReadCreate | None = None,
) -> ReadStateRead:
    """The visitor saw his conversation up to a message (default: the latest he may see): the
    conversation's agents hear ``conversation.read``."""
    state = await reads.mark_read(
        runtime,
        reader=visitor,
        conversation_id=conversation_id,
        message_id=(body or ReadCreate()).message_id,
        origin=origin,
    )
    return ReadStateRead.of(state)
