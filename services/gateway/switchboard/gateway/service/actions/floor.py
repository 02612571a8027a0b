"""An agent's answers to the floor: taking a broadcast offer, accepting or rejecting a
transfer. Each is routing's to decide; its refusals (``offer_taken``, ``transfer_expired``...)
reach the socket with their own codes."""

from __future__ import annotations

from typing import Any

from switchboard.gateway.domain.frames import (
    AcceptOfferPayload,
    AcceptTransferPayload,
    RejectTransferPayload,
    RequestFrame,
)
from switchboard.gateway.service.actions.parts import ActionParts, Answer, agents_only
from switchboard.gateway.service.actions.table import ActionRouter
from switchboard.gateway.service.connection import Connection

__all__ = ["router"]

router = ActionRouter()


@router.action(AcceptOfferPayload)
async def accept_offer(
    parts: ActionParts, connection: Connection, request: RequestFrame, payload: AcceptOfferPayload
) -> Answer:
    return await _ask_routing(parts, connection, request, f"/v1/offers/{payload.offer_id}/accept")


@router.action(AcceptTransferPayload)
async def accept_transfer(
    parts: ActionParts,
    connection: Connection,
    request: RequestFrame,
    payload: AcceptTransferPayload,
) -> Answer:
    path = f"/v1/transfers/{payload.transfer_id}/accept"
    return await _ask_routing(parts, connection, request, path)


@router.action(RejectTransferPayload)
async def reject_transfer(
    parts: ActionParts,
    connection: Connection,
    request: RequestFrame,
    payload: RejectTransferPayload,
) -> Answer:
    body = {"reason": payload.reason} if payload.reason is not None else {}
    path = f"/v1/transfers/{payload.transfer_id}/reject"
    return await _ask_routing(parts, connection, request, path, body)


async def _ask_routing(
    parts: ActionParts, connection: Connection, request: RequestFrame, path: str, body: Any = None
) -> Answer:
    agents_only(connection)
    return await parts.call_as(connection, "POST", "routing", path, json=body, cause=request)
