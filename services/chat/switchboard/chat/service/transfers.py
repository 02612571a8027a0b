"""The history of transfers: each of routing's ``transfer.*`` events as a system message.

Routing owns transfers (who asked, whom, the outcome); chat writes the line agents read in the
conversation, telling the agents involved as well as the conversation's usual agent audience.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.domain import system_messages as wording
from switchboard.chat.notifications.service import floor as floor_notifications
from switchboard.chat.service.messages import append_system_message
from switchboard.chat.store import agents as agent_store
from switchboard.chat.store import conversations as conversation_store
from switchboard.chat.store import teams as team_store
from switchboard.contracts.routing import (
    TransferAccepted,
    TransferExpired,
    TransferRejected,
    TransferRequested,
)
from switchboard.core.events import Delivery, utcnow
from switchboard.core.runtime import DatabaseRuntime

TransferStep = Literal["requested", "accepted", "rejected", "expired"]


@dataclass(frozen=True)
class TransferNews:
    """What a ``transfer.*`` event says (its ``data``)."""

    step: TransferStep
    from_agent_id: UUID | None
    to_agent_id: UUID | None
    to_team_id: UUID | None
    by_agent_id: UUID | None = None
    reason: str | None = None

    @property
    def agents(self) -> list[UUID]:
        ids = (self.from_agent_id, self.to_agent_id, self.by_agent_id)
        return list(dict.fromkeys(agent for agent in ids if agent is not None))


TransferEvent = TransferRequested | TransferAccepted | TransferRejected | TransferExpired
_OUTCOMES: dict[str, TransferStep] = {
    TransferAccepted.type: "accepted",
    TransferRejected.type: "rejected",
    TransferExpired.type: "expired",
}


def _news(event: TransferEvent) -> TransferNews:
    if isinstance(event, TransferRequested):
        return TransferNews(
            step="requested",
            from_agent_id=event.from_agent_id,
            to_agent_id=event.to_agent_id,
            to_team_id=event.to_team_id,
        )
    return TransferNews(
        step=_OUTCOMES[event.type],
        from_agent_id=event.from_agent_id,
        to_agent_id=event.to_agent_id,
        to_team_id=event.to_team_id,
        by_agent_id=event.by_agent_id,
        reason=event.reason,
    )


async def record_transfer_step(runtime: DatabaseRuntime, event: Delivery[TransferEvent]) -> bool:
    """Write the system message of one step of a transfer; False when nothing was written."""
    news = _news(event.data)
    now = utcnow()
    async with runtime.work(handling=event) as work:
        session = work.session
        conversation = await conversation_store.lock(
            session, event.account_id, event.data.conversation_id
        )
        if conversation is None:
            return False
        text = await _wording(session, event.account_id, news)
        await append_system_message(work, conversation, content=text, about=news.agents, now=now)
        if isinstance(event.data, TransferRequested):
            await floor_notifications.transfer_asked(work, event.account_id, event.data)
    return True


async def _wording(session: AsyncSession, account_id: UUID, news: TransferNews) -> str:
    names = await agent_store.names(session, account_id, news.agents)

    def agent(agent_id: UUID | None) -> wording.AgentRef:
        return wording.AgentRef(names.get(agent_id) if agent_id is not None else None)

    target: wording.Party
    if news.to_agent_id is None and news.to_team_id is not None:
        target = wording.TeamRef(await team_store.name(session, account_id, news.to_team_id))
    else:
        target = agent(news.to_agent_id)
    requester = agent(news.from_agent_id)
    # A transfer to an agent is answered by that agent, even if the event does not say so.
    by_id = news.by_agent_id or news.to_agent_id
    by = agent(by_id) if by_id is not None else None
    if news.step == "requested":
        return wording.transfer_requested(requester=requester, target=target)
    if news.step == "accepted":
        return wording.transfer_accepted(requester=requester, target=target, by=by)
    if news.step == "rejected":
        return wording.transfer_rejected(
            requester=requester, target=target, by=by, reason=news.reason
        )
    return wording.transfer_expired(target=target)
