"""The agent-name projection fed by routing's ``agent.*`` events."""

from __future__ import annotations

from switchboard.chat.store import agents as store
from switchboard.contracts.routing import AgentCreated, AgentUpdated
from switchboard.core.events import Delivery, utcnow
from switchboard.core.runtime import DatabaseRuntime


async def record_agent(
    runtime: DatabaseRuntime, event: Delivery[AgentCreated | AgentUpdated]
) -> None:
    """Remember an agent's name, email and role, and (``agent.updated``) his signature, the
    notifications he turned off and whether he is still active."""
    agent = event.data
    profile, active = None, None
    if isinstance(agent, AgentUpdated):
        profile = store.Profile(agent.signature, agent.notifications.muted())
        active = agent.active
    async with runtime.work(handling=event) as work:
        session = work.session
        await store.upsert(
            session,
            agent_id=agent.agent_id,
            account_id=event.account_id,
            name=agent.name,
            email=agent.email,
            at=utcnow(),
            role=agent.role.value,
            profile=profile,
            active=active,
        )
