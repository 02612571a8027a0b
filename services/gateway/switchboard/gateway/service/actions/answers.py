"""An agent's answers to what routing asks of him: taking a broadcast offer, accepting or
rejecting a transfer. Each is routing's to decide; its refusals (``offer_taken``,
``transfer_expired``...) reach the socket with their own codes."""

from __future__ import annotations

from typing import Any

from switchboard.gateway.domain.frames import (
    AcceptOfferPayload,
    AcceptTransferPayload,
    RejectTransferPayload,
)
from switchboard.gateway.service.actions.parts import Answer, agents_only
from switchboard.gateway.service.actions.table import ActionRouter, Call

__all__ = ["router"]

router = ActionRouter()


@router.action(AcceptOfferPayload)
async def accept_offer(call: Call[AcceptOfferPayload]) -> Answer:
    return await _ask_routing(call, f"/v1/offers/{call.payload.offer_id}/accept")


@router.action(AcceptTransferPayload)
async def accept_transfer(call: Call[AcceptTransferPayload]) -> Answer:
    return await _ask_routing(call, f"/v1/transfers/{call.payload.transfer_id}/accept")


@router.action(RejectTransferPayload)
async def reject_transfer(call: Call[RejectTransferPayload]) -> Answer:
    payload = call.payload
    body = {"reason": payload.reason} if payload.reason is not None else {}
    return await _ask_routing(call, f"/v1/transfers/{payload.transfer_id}/reject", body)


async def _ask_routing(call: Call[Any], path: str, body: Any = None) -> Answer:
    agents_only(call.connection)
    return await call.ask("POST", "routing", path, body)
