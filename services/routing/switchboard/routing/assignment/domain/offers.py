"""Broadcast offers: one conversation offered to several agents at once, one winner."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from enum import Enum, StrEnum
from uuid import UUID

__all__ = ["OfferRefusal", "OfferStatus", "accept_refusal", "withdrawn_audience"]


class OfferStatus(StrEnum):
    open = "open"
    accepted = "accepted"
    expired = "expired"
    withdrawn = "withdrawn"  # the conversation left the queue another way


class OfferRefusal(Enum):
    not_offered = "not_offered"
    offer_taken = "offer_taken"
    offer_expired = "offer_expired"


def accept_refusal(
    *,
    status: OfferStatus,
    expires_at: datetime,
    now: datetime,
    offered_to: Collection[UUID],
    agent_id: UUID,
) -> OfferRefusal | None:
    """Why ``agent_id`` may not accept the offer now, or None when it may.

    open -> accepted happens once: every later accept is ``offer_taken``; an offer past its
    expiry (or withdrawn) is ``offer_expired``.
    """
    if agent_id not in offered_to:
        return OfferRefusal.not_offered
    if status is OfferStatus.accepted:
        return OfferRefusal.offer_taken
    if status is not OfferStatus.open or expires_at <= now:
        return OfferRefusal.offer_expired
    return None


def withdrawn_audience(offered_to: Collection[UUID], winner_id: UUID | None) -> list[UUID]:
    """Everyone offered but the winner: they learn the offer is gone."""
    return [agent_id for agent_id in offered_to if agent_id != winner_id]
