"""An agent sets its own routing status and whether it accepts automatic chats."""

from __future__ import annotations

from uuid import UUID

from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.domain.availability import AgentStatus
from switchboard.routing.assignment.service.drain import drain_for_agent
from switchboard.routing.directory.service.agents import (
    AgentView,
    get_agent,
    locked_agent,
    outbox_of,
)
from switchboard.routing.service import events


async def set_availability(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    agent_id: UUID,
    status: AgentStatus,
    accept_auto_assign: bool | None = None,
) -> AgentView:
    """Change the agent's availability, tell who watches it, and drain its inboxes if eligible.

    ``accept_auto_assign=None`` keeps the current choice.
    """
    async with runtime.work() as work:
        session = work.session
        agent = await locked_agent(session, account_id, agent_id)
        accept = agent.accept_auto_assign if accept_auto_assign is None else accept_auto_assign
        if agent.status != status.value or agent.accept_auto_assign != accept:
            agent.status = status.value
            agent.accept_auto_assign = accept
            await session.flush()
            await outbox_of(runtime).add(session, events.availability_changed(agent))
    await drain_for_agent(runtime, account_id=account_id, agent_id=agent_id)
    return await get_agent(runtime, account_id=account_id, agent_id=agent_id)
