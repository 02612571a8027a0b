"""Chat's conversations as its consumers hear them, made up for their tests."""

from __future__ import annotations

import uuid
from datetime import datetime

from switchboard.contracts.chat import Conversation

__all__ = ["a_conversation"]


def a_conversation(
    at: datetime, *, visitor_id: uuid.UUID | None = None, inbox_id: uuid.UUID | None = None
) -> Conversation:
    """A conversation just opened ``at`` (open, nobody assigned), of a new visitor in a new
    inbox unless ``visitor_id`` or ``inbox_id`` is given: the ``conversation`` of a made-up
    ``conversation.created``."""
    return Conversation(
        id=uuid.uuid4(),
        inbox_id=inbox_id or uuid.uuid4(),
        visitor_id=visitor_id or uuid.uuid4(),
        status="open",
        snoozed_until=None,
        assignee_id=None,
        created_at=at,
        updated_at=at,
        last_message_at=None,
    )
