"""A quick reply filled for a conversation: the composer's preview, and what a send writes."""

from __future__ import annotations

from uuid import UUID

from switchboard.chat.errors import CannedResponseNotFound, ConversationNotFound
from switchboard.chat.quick_replies.domain.placeholders import Placeholder, fill
from switchboard.chat.quick_replies.service.responses import viewer_of
from switchboard.chat.quick_replies.store import filling as facts_store
from switchboard.chat.quick_replies.store import responses as store
from switchboard.core.auth import Principal
from switchboard.core.runtime import DatabaseRuntime


async def filled_reply(
    runtime: DatabaseRuntime, *, caller: Principal, conversation_id: UUID, response_id: UUID
) -> str:
    """The reply's content with the conversation's visitor, inbox and the caller (whom the
    route let read the conversation) in its placeholders; 404 when he does not see the reply."""
    async with runtime.db.session() as session:
        response = await store.get(
            session, caller.account_id, response_id, viewer=viewer_of(caller)
        )
        if response is None:
            raise CannedResponseNotFound()
        facts = await facts_store.facts(session, caller.account_id, conversation_id, caller.id)
    if facts is None:
        raise ConversationNotFound()
    values = {
        Placeholder.contact_name: facts.visitor_name,
        Placeholder.contact_phone: facts.visitor_phone,
        Placeholder.contact_email: facts.visitor_email,
        Placeholder.agent_name: facts.agent_name,
        Placeholder.inbox_name: facts.inbox_name,
        Placeholder.conversation_id: str(facts.conversation_id),
    }
    return fill(response.content, values)
