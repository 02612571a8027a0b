"""An agent's signature under a message he sends, when he asks for it."""

from __future__ import annotations

from uuid import UUID

from switchboard.chat.domain.signature import signed
from switchboard.chat.store import agents as agent_store
from switchboard.core.runtime import DatabaseRuntime


async def signed_by(
    runtime: DatabaseRuntime, *, account_id: UUID, agent_id: UUID, content: str, private: bool
) -> str:
    """``content`` with the agent's signature (as chat last heard it from routing) under it;
    a private note, or an agent without one, as it is."""
    if private:
        return content
    async with runtime.db.session() as session:
        profile = await agent_store.profile(session, account_id, agent_id)
    return signed(content, profile.signature, private=private)
