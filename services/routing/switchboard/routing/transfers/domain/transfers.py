"""Transfers: an assignee hands a conversation to an agent or a team, who accepts or not.

States::

    pending ──accept──> accepted      (the conversation moves to the acceptor)
       │ ────reject──> rejected      (it stays with the requester)
       │ ────expiry──> expired       (it stays with the requester)
       │ ────closed──> cancelled     (resolved, snoozed or reassigned meanwhile)
       └ (team with nobody available at request time) queued: back to the team's queue
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from enum import Enum, StrEnum
from uuid import UUID

__all__ = ["TransferRefusal", "TransferStatus", "decision_refusal", "request_refusal"]


class TransferStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"
    expired = "expired"
    cancelled = "cancelled"
    queued = "queued"


class TransferRefusal(Enum):
    not_assignee = "not_assignee"
    conversation_closed = "conversation_closed"
    transfer_pending = "transfer_pending"
    transfer_to_self = "transfer_to_self"
    agent_offline = "agent_offline"
    not_transfer_target = "not_transfer_target"
    transfer_expired = "transfer_expired"
    transfer_not_pending = "transfer_not_pending"


def request_refusal(
    *,
    requester_id: UUID,
    assignee_id: UUID | None,
    conversation_active: bool,
    has_pending: bool,
    to_agent_id: UUID | None,
    target_online: bool,
) -> TransferRefusal | None:
    """Why the requester may not ask for this transfer, or None when it may."""
    if assignee_id != requester_id:
        return TransferRefusal.not_assignee
    if not conversation_active:
        return TransferRefusal.conversation_closed
    if has_pending:
        return TransferRefusal.transfer_pending
    if to_agent_id is not None:
        if to_agent_id == requester_id:
            return TransferRefusal.transfer_to_self
        if not target_online:
            return TransferRefusal.agent_offline
    return None


def decision_refusal(
    *,
    status: TransferStatus,
    expires_at: datetime,
    now: datetime,
    targets: Collection[UUID],
    agent_id: UUID,
) -> TransferRefusal | None:
    """Why ``agent_id`` may not accept or reject the transfer now, or None when it may.

    A pending transfer past its expiry is ``transfer_expired`` (the caller records the
    expiry); any other settled transfer is ``transfer_expired`` or ``transfer_not_pending``.
    """
    if agent_id not in targets:
        return TransferRefusal.not_transfer_target
    if status is TransferStatus.expired:
        return TransferRefusal.transfer_expired
    if status is not TransferStatus.pending:
        return TransferRefusal.transfer_not_pending
    if expires_at <= now:
        return TransferRefusal.transfer_expired
    return None
