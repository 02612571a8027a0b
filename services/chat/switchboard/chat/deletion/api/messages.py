"""The agents' path that deletes a message."""

from uuid import UUID

from fastapi import APIRouter, Response

from switchboard.chat.api.deps import READER_REFUSALS, OriginDep, ReaderDep
from switchboard.chat.deletion.service import deletion
from switchboard.chat.errors import (
    MessageAlreadyDeleted,
    MessageNotFound,
    NotMessageAuthor,
    SystemMessageNotDeletable,
)
from switchboard.core.routes import done, removes
from switchboard.core.runtime import DatabaseRuntimeDep

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])


@router.delete(
    "/{conversation_id}/messages/{message_id}",
    **removes(
        *READER_REFUSALS,
        MessageNotFound,
        NotMessageAuthor,
        SystemMessageNotDeletable,
        MessageAlreadyDeleted,
    ),
    description=(
        "By its author or an admin (anyone else: 403 not_message_author). A system message"
        " cannot be deleted (409 system_message_not_deletable), nor a deleted one again (409"
        " message_already_deleted). The message stays in its place as a tombstone: empty"
        " content, null payload, deleted_at set, for agents and the visitor alike;"
        " message.deleted reaches whoever heard it. The conversation's activity does not move."
    ),
)
async def delete_message(
    conversation_id: UUID,
    message_id: UUID,
    agent: ReaderDep,
    runtime: DatabaseRuntimeDep,
    origin: OriginDep,
) -> Response:
    """Delete a message of the conversation."""
    await deletion.delete_message(
        runtime,
        agent=agent,
        conversation_id=conversation_id,
        message_id=message_id,
        origin=origin,
    )
    return done()
