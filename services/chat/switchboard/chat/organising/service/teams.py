"""A conversation's team, as routing decides it (``assignment.team_changed``: a supervisor sent
it to a team, or a transfer to a team took it there): chat keeps it to show and to filter by,
and writes the line of history."""

from __future__ import annotations

from switchboard.chat.domain import system_messages as wording
from switchboard.chat.organising.service import events
from switchboard.chat.service.messages import append_system_message
from switchboard.chat.store import agents as agent_store
from switchboard.chat.store import conversations as conversation_store
from switchboard.chat.store import participants as participant_store
from switchboard.chat.store import teams as team_store
from switchboard.contracts.routing import AssignmentTeamChanged
from switchboard.core.events import Delivery, utcnow
from switchboard.core.runtime import DatabaseRuntime

__all__ = ["apply_team_change"]


async def apply_team_change(
    runtime: DatabaseRuntime, event: Delivery[AssignmentTeamChanged]
) -> None:
    """Record the conversation's new team; a history line and ``conversation.team_changed``
    when it changed."""
    change = event.data
    async with runtime.work(handling=event) as work:
        session = work.session
        conversation = await conversation_store.lock(
            session, event.account_id, change.conversation_id
        )
        if conversation is None or conversation.team_id == change.team_id:
            return
        previous = conversation.team_id
        conversation.team_id = change.team_id
        conversation.updated_at = now = utcnow()
        await session.flush()
        team = wording.TeamRef(await team_store.name(session, event.account_id, change.team_id))
        by = None
        if change.by_agent_id is not None:
            names = await agent_store.names(session, event.account_id, [change.by_agent_id])
            by = wording.AgentRef(names.get(change.by_agent_id))
        line = wording.sent_to_team(team=team, by=by)
        await append_system_message(work, conversation, content=line, now=now)
        envelope = events.team_changed(
            conversation,
            previous_team_id=previous,
            team_id=change.team_id,
            by=change.by_agent_id,
            participants=await participant_store.agent_ids(session, conversation.id),
            origin=event.origin,
        )
        await work.publish(envelope)
