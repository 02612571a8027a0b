"""Unreplied conversations: the visitor wrote last and no agent answered since.

``waiting_since`` is set by a visitor's message when the conversation is not waiting already
(so it says how long he has waited), cleared by an agent's public reply; a private note, a
system line or another visitor message leave it as it is.
"""

from __future__ import annotations

from datetime import datetime

__all__ = ["waiting_since_after"]


def waiting_since_after(
    current: datetime | None, *, sender_type: str, private: bool, at: datetime
) -> datetime | None:
    """``waiting_since`` once a message of ``sender_type`` was written at ``at``."""
    if sender_type == "visitor":
        return current or at
    if sender_type == "agent" and not private:
        return None
    return current
