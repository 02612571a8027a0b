"""The agent-name projection fed by routing's ``agent.*`` events."""

from __future__ import annotations

from uuid import UUID

from switchboard.chat.store import agents as store
from switchboard.core.events import utcnow
from switchboard.core.outbox import first_delivery
from switchboard.core.runtime import Runtime


async def record_agent(
    runtime: Runtime,
    *,
    event_id: str,
    account_id: UUID,
    agent_id: UUID,
    name: str,
    email: str | None,
) -> bool:
    """Remember an agent's name and email; False when the event was handled before."""
    assert runtime.processed is not None
    async with runtime.unit_of_work() as session:
        if not await first_delivery(session, runtime.processed, event_id):
            return False
        await store.upsert(
            session, agent_id=agent_id, account_id=account_id, name=name, email=email, at=utcnow()
        )
    return True
