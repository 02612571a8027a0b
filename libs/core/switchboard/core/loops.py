"""One round of a background loop (the outbox sweeper, the gateway's fan-out, presence and
route table): its failure, Redis or the database out of reach for a moment, is logged and the
loop goes on; a cancellation (the lifespan stopping the loop) passes through."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import structlog

__all__ = ["one_round"]

log = structlog.get_logger(__name__)


async def one_round(step: Awaitable[object], failure: str, **context: Any) -> bool:
    """Await ``step``; False, with a warning named ``failure``, when it raised."""
    try:
        await step
    except Exception as exc:
        log.warning(failure, error=repr(exc), **context)
        return False
    return True
