"""Mentions: agents a private note names, each notified and let read the conversation."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from switchboard.chat.errors import MentionsNeedPrivateNote, UnknownMention
from switchboard.chat.notifications.domain.kinds import NotificationKind
from switchboard.chat.notifications.service.notifications import notify
from switchboard.chat.store import access as access_store
from switchboard.chat.store import agents as agent_store
from switchboard.chat.store.models import Message
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.work import UnitOfWork


async def checked(
    runtime: DatabaseRuntime, *, account_id: UUID, mentioned: Sequence[UUID], private: bool
) -> tuple[UUID, ...]:
    """The agents a note mentions, once each in the order given: 422
    ``mentions_need_private_note`` on a message the visitor sees, 422 ``unknown_mention``
    when one is not an active agent of the account (unknown to it, or deactivated)."""
    if not mentioned:
        return ()
    if not private:
        raise MentionsNeedPrivateNote()
    wanted = tuple(dict.fromkeys(mentioned))
    async with runtime.db.session() as session:
        known = await agent_store.known(session, account_id, wanted)
    unknown = [agent_id for agent_id in wanted if agent_id not in known]
    if unknown:
        details = [
            {"loc": ["body", "mentions"], "msg": f"unknown agent {agent_id}", "type": "value_error"}
            for agent_id in unknown
        ]
        raise UnknownMention(details=details)
    return wanted


async def record(work: UnitOfWork, message: Message) -> None:
    """Inside the send's transaction: each mentioned agent may now read the conversation and
    gets a notification (not the author, who mentioned himself)."""
    await access_store.record_mentions(
        work.session,
        message.account_id,
        message.conversation_id,
        message.mentions,
        at=message.created_at,
    )
    for agent_id in message.mentions:
        if agent_id == message.sender_id:
            continue
        await notify(
            work,
            account_id=message.account_id,
            agent_id=agent_id,
            kind=NotificationKind.mention,
            conversation_id=message.conversation_id,
            actor_id=message.sender_id,
            message_id=message.id,
            now=message.created_at,
        )
