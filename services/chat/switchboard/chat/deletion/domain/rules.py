"""Who may delete a message.

Rules, in the order they are asked (the first that refuses answers):

- a system message is the history's own record: nobody deletes it (``system_message``);
- a message is deleted by its author or by an admin; anyone else is refused (``not_author``),
  so a visitor's message is deleted by an admin only (visitors delete nothing);
- a deleted message is not deleted again (``already_deleted``).

Deleting keeps the message's place in the history as a tombstone: no content, no payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from uuid import UUID

__all__ = ["DeletionRefusal", "MessageFacts", "deletion_refusal"]


class DeletionRefusal(Enum):
    system_message = "system_message"
    not_author = "not_author"
    already_deleted = "already_deleted"


@dataclass(frozen=True)
class MessageFacts:
    """What the rules read of a message."""

    sender_type: str
    sender_id: UUID | None
    deleted_at: datetime | None


def deletion_refusal(
    message: MessageFacts, *, agent_id: UUID, admin: bool
) -> DeletionRefusal | None:
    """Why the agent may not delete the message, or None when he may."""
    if message.sender_type == "system":
        return DeletionRefusal.system_message
    authored = message.sender_type == "agent" and message.sender_id == agent_id
    if not (authored or admin):
        return DeletionRefusal.not_author
    if message.deleted_at is not None:
        return DeletionRefusal.already_deleted
    return None
