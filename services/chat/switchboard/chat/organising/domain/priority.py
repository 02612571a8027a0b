"""A conversation's priority: none, low, medium, high, urgent (chat's column, the one source).

Any agent who may write the conversation sets it; the same priority again changes nothing
(no event, no history line). It belongs to the conversation, so it survives assignment and
transfers; routing's queue follows each change (highest rank first, then the longest waiting).
"""

from __future__ import annotations

from switchboard.contracts.values import ConversationPriority

__all__ = ["ConversationPriority", "priority_changes"]


def priority_changes(current: ConversationPriority, target: ConversationPriority) -> bool:
    return current is not target
