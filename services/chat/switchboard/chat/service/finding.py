"""Use cases of finding conversations: the list with its filters, orders and search, the
sidebar's counts, and a visitor's other conversations."""

from __future__ import annotations

from uuid import UUID

from switchboard.chat.domain.finding import ConversationFilter, FindingRefused, Listing
from switchboard.chat.domain.status import ConversationStatus
from switchboard.chat.errors import refused_finding
from switchboard.chat.service.access import conversation_view
from switchboard.chat.store import finding as store
from switchboard.chat.store.finding import ListedConversation, SidebarCounts
from switchboard.core.pagination import PageQuery, Rows
from switchboard.core.runtime import DatabaseRuntime

__all__ = ["count_conversations", "list_conversations", "list_other_conversations"]


def _checked(wanted: ConversationFilter) -> ConversationFilter:
    try:
        return wanted.checked()
    except FindingRefused as exc:
        raise refused_finding(exc.refusal, str(exc)) from exc


async def list_conversations(
    runtime: DatabaseRuntime, *, account_id: UUID, listing: Listing, page: PageQuery
) -> Rows[ListedConversation]:
    """A page of the account's conversations that the listing finds, in its order (a search:
    the strongest matches first), for whom it says (see ``Listing``)."""
    _checked(listing.wanted)
    async with runtime.db.autocommit() as connection:
        return await store.page_of(connection, account_id, listing, page)


async def count_conversations(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    agent_id: UUID,
    wanted: ConversationFilter,
    status: ConversationStatus,
    visible_to: UUID | None,
) -> SidebarCounts:
    """The sidebar's counts (mine, unassigned, all, participating at ``status``, and every
    status of the whole) of what ``wanted`` finds among what the caller may see."""
    statement = store.count_statement(
        account_id, agent_id, _checked(wanted), status=status, visible_to=visible_to
    )
    async with runtime.db.autocommit() as connection:
        return await store.counts_of(connection, statement)


async def list_other_conversations(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    conversation_id: UUID,
    visible_to: UUID | None,
    viewer: UUID | None = None,
    page: PageQuery,
) -> Rows[ListedConversation]:
    """The other conversations of this conversation's visitor that the caller may see, the
    most recent activity first (the agent's "previous conversations")."""
    async with runtime.db.session() as session:
        view = await conversation_view(session, account_id, conversation_id)
    wanted = ConversationFilter(
        visitor_id=view.conversation.visitor_id, except_id=view.conversation.id
    )
    listing = Listing(wanted, visible_to=visible_to, viewer=viewer)
    return await list_conversations(runtime, account_id=account_id, listing=listing, page=page)
