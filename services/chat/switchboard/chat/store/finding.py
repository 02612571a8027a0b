"""Queries of the conversation list: its filters, orders and search, and the sidebar's counts.

A list item is a row of columns, not an ORM object (a page builds 50 of them). The search is
accent-insensitive through ``switchboard.core.search``: message text and the visitor's name,
email and phone are compared folded, each served by an account-scoped trigram index of the
migration ``b2d6e8f0a4c1``, whose expressions the queries below write the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Row,
    Select,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSON, aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import Uuid

from switchboard.chat.domain.finding import (
    ConversationFilter,
    ConversationSort,
    Listing,
    SearchRank,
)
from switchboard.chat.domain.status import ConversationStatus
from switchboard.chat.organising.store.reads import unread_clauses
from switchboard.chat.store import access
from switchboard.chat.store.models import (
    Agent,
    Conversation,
    ConversationLabel,
    ConversationParticipant,
    ConversationStar,
    Label,
    Message,
    Visitor,
)
from switchboard.contracts.values import ConversationPriority
from switchboard.core.pagination import (
    PageQuery,
    Rows,
    SortKey,
    ordered,
    split_page_by,
    tiered,
)
from switchboard.core.search import scoped_contains

__all__ = [
    "ListedConversation",
    "SidebarCounts",
    "count_statement",
    "counts_of",
    "list_parameters",
    "list_statement",
    "page_of",
]

SCHEMA = "chat"
_C = Conversation.__table__.c
_A = Agent.__table__.c
_P = ConversationParticipant.__table__.c
_V = Visitor.__table__.c
_M = Message.__table__.c
_L = Label.__table__.c
_CL = ConversationLabel.__table__.c
_CS = ConversationStar.__table__.c

_LISTED = select(
    _C.id,
    _C.inbox_id,
    _C.visitor_id,
    _C.status,
    _C.snoozed_until,
    _C.assignee_id,
    _C.created_at,
    _C.updated_at,
    _C.last_message_at,
    _C.last_activity_at,
    _C.priority,
    _C.waiting_since,
    _C.team_id,
    _A.name.label("assignee_name"),
).select_from(
    Conversation.__table__.outerjoin(
        Agent.__table__, and_(_A.id == _C.assignee_id, _A.account_id == _C.account_id)
    )
)

# A row of the list: the conversation's columns, ``assignee_name`` and, when searching,
# ``search_rank``.
ListedConversation = Row[*tuple[Any, ...]]


def _keys(sort: ConversationSort, c: Any) -> tuple[SortKey, ...]:
    """The keys of an order over the columns ``c`` (the table's, or a subquery's of the same
    names); the id breaks ties."""
    if sort is ConversationSort.priority:
        return (
            SortKey(_rank(c.priority), descending=True),
            SortKey(c.last_activity_at, descending=True, read=datetime.fromisoformat),
            SortKey(c.id, descending=True, read=UUID),
        )
    if sort is ConversationSort.longest_waiting:
        return (
            SortKey(c.waiting_since.is_(None), read=bool),
            SortKey(
                func.coalesce(c.waiting_since, c.last_activity_at), read=datetime.fromisoformat
            ),
            SortKey(c.id, read=UUID),
        )
    at, newest_first = {
        ConversationSort.last_activity: (c.last_activity_at, True),
        ConversationSort.newest: (c.created_at, True),
        ConversationSort.oldest: (c.created_at, False),
    }[sort]
    return (
        SortKey(at, descending=newest_first, read=datetime.fromisoformat),
        SortKey(c.id, descending=newest_first, read=UUID),
    )


def _values(sort: ConversationSort, row: ListedConversation) -> list[Any]:
    """A row's values of the keys of ``sort`` (the cursor of the page it ends)."""
    if sort is ConversationSort.priority:
        return [ConversationPriority(row.priority).rank, row.last_activity_at, row.id]
    if sort is ConversationSort.longest_waiting:
        return [row.waiting_since is None, row.waiting_since or row.last_activity_at, row.id]
    at = row.created_at if sort in (ConversationSort.newest, ConversationSort.oldest) else None
    return [at or row.last_activity_at, row.id]


def _rank(priority: Any) -> ColumnElement[int]:
    return case(*((priority == level.value, level.rank) for level in ConversationPriority), else_=0)


def _visitor_contact() -> ColumnElement[str]:
    """The visitor's name, email and phone as one text, as ``ix_visitor_contact_scoped``
    writes it (literals inline: a bound parameter would not match the index's expression)."""
    blank: ColumnElement[str] = literal_column("''")
    space: ColumnElement[str] = literal_column("' '")
    return (
        func.coalesce(_V.name, blank)
        + space
        + func.coalesce(_V.email, blank)
        + space
        + func.coalesce(_V.phone, blank)
    )


def _message_match(account_id: UUID, query: str) -> ColumnElement[bool]:
    """A message of the conversation holds ``query`` (the account's trigram index of messages
    answers, ``ix_message_content_scoped``; the planner joins what it found)."""
    return (
        select(literal(1))
        .where(
            _M.conversation_id == _C.id,
            scoped_contains(_M.account_id, _M.content, query, scope=account_id, schema=SCHEMA),
        )
        .exists()
    )


class _Tier(NamedTuple):
    rank: SearchRank
    own: ColumnElement[bool]  # what this tier matches
    stronger: ColumnElement[bool]  # what a stronger tier matched (listed there, not here)

    @property
    def matches(self) -> ColumnElement[bool]:
        return self.own & ~self.stronger


def _tiers(account_id: UUID, wanted: ConversationFilter, query: str) -> list[_Tier]:
    """What a search finds, strongest match first; each tier leaves out what a stronger one
    found, so a conversation is listed once, at its strongest match."""
    named = wanted.search_id()
    by_id = _C.id == named if named is not None else false()
    contact = scoped_contains(
        _V.account_id, _visitor_contact(), query, scope=account_id, schema=SCHEMA
    )
    by_visitor = _C.visitor_id.in_(select(_V.id).where(contact))
    return [
        _Tier(SearchRank.conversation_id, by_id, false()),
        _Tier(SearchRank.visitor, by_visitor, by_id),
        _Tier(SearchRank.message, _message_match(account_id, query), by_visitor | by_id),
    ]


def _matches(account_id: UUID, wanted: ConversationFilter, query: str) -> ColumnElement[bool]:
    return or_(*(tier.matches for tier in _tiers(account_id, wanted, query)))


def _filtered(
    statement: Select[*tuple[Any, ...]], account_id: UUID, wanted: ConversationFilter
) -> Select[*tuple[Any, ...]]:
    """``statement`` narrowed by every filter but the status and the assignee's, which the
    sidebar's counts apply one by one."""
    statement = statement.where(_C.account_id == account_id)
    if wanted.inbox_id is not None:
        statement = statement.where(_C.inbox_id == wanted.inbox_id)
    if wanted.visitor_id is not None:
        statement = statement.where(_C.visitor_id == wanted.visitor_id)
    if wanted.except_id is not None:
        statement = statement.where(_C.id != wanted.except_id)
    if wanted.participant_id is not None:
        statement = statement.where(_taking_part(account_id, wanted.participant_id))
    if wanted.team_id is not None:
        statement = statement.where(_C.team_id == wanted.team_id)
    if wanted.label_id is not None:
        statement = statement.where(_labelled(account_id, wanted.label_id))
    if wanted.priority is not None:
        statement = statement.where(_C.priority == wanted.priority.value)
    if wanted.starred_by is not None:
        statement = statement.where(_starred(account_id, wanted.starred_by))
    if wanted.unread_by is not None:
        statement = statement.where(_unread(wanted.unread_by))
    if wanted.unreplied is not None:
        waiting = _C.waiting_since.is_not(None)
        statement = statement.where(waiting if wanted.unreplied else ~waiting)
    for column, span in ((_C.created_at, wanted.created), (_C.updated_at, wanted.updated)):
        if span.after is not None:
            statement = statement.where(column >= span.after)
        if span.before is not None:
            statement = statement.where(column < span.before)
    return statement


def _labelled(account_id: UUID, label_id: UUID) -> ColumnElement[bool]:
    return _C.id.in_(
        select(_CL.conversation_id).where(_CL.account_id == account_id, _CL.label_id == label_id)
    )


def _starred(account_id: UUID, agent_id: UUID) -> ColumnElement[bool]:
    return _C.id.in_(
        select(_CS.conversation_id).where(_CS.account_id == account_id, _CS.agent_id == agent_id)
    )


def _unread(agent_id: UUID) -> ColumnElement[bool]:
    return exists().where(*unread_clauses(_C.id, "agent", agent_id))


# The agents a list is read for, as parameters of statements built once (building the
# subqueries below for each request cost more than running them).
_VIEWER: BindParameter[UUID] = bindparam("viewer", type_=Uuid)
_VISIBLE_TO: BindParameter[UUID] = bindparam("visible_to", type_=Uuid)
_VISIBLE = access.visible_to(_VISIBLE_TO)


def _seen_by_viewer() -> tuple[ColumnElement[Any], ...]:
    """What the viewer's own read of each row adds: its labels (in the order they were
    added), his star, his unread count."""
    labels = (
        select(
            func.coalesce(
                func.json_agg(
                    aggregate_order_by(
                        func.json_build_object("id", _L.id, "name", _L.name, "colour", _L.colour),
                        _CL.added_at,
                        _L.id,
                    )
                ),
                literal_column("'[]'::json"),
            )
        )
        .select_from(ConversationLabel.__table__.join(Label.__table__, _L.id == _CL.label_id))
        .where(_CL.conversation_id == _C.id)
        .scalar_subquery()
    )
    starred = exists().where(_CS.conversation_id == _C.id, _CS.agent_id == _VIEWER)
    unread = select(func.count()).where(*unread_clauses(_C.id, "agent", _VIEWER))
    return (
        type_coerce(labels, JSON).label("labels"),
        starred.label("starred"),
        unread.scalar_subquery().label("unread_count"),
    )


_SEEN_BY_VIEWER = _seen_by_viewer()


def _taking_part(account_id: UUID, agent_id: UUID) -> ColumnElement[bool]:
    return _C.id.in_(
        select(_P.conversation_id).where(_P.account_id == account_id, _P.agent_id == agent_id)
    )


def list_statement(account_id: UUID, listing: Listing, page: PageQuery) -> Select[*tuple[Any, ...]]:
    """The SELECT of a page of the account's conversations that the listing finds, in its
    order (a search: by rank first); with its ``visible_to``, only those that agent may see
    (``store.access.visible_to``); with its ``viewer``, each row with that agent's labels,
    star and unread count. Both agents are parameters of the statement, bound when it is
    executed (``list_parameters``)."""
    wanted, sort = listing.wanted, listing.sort
    statement = _filtered(_LISTED, account_id, wanted)
    if listing.viewer is not None:
        statement = statement.add_columns(*_SEEN_BY_VIEWER)
    if listing.visible_to is not None:
        statement = statement.where(_VISIBLE)
    if wanted.status is not None:
        statement = statement.where(_C.status == wanted.status.value)
    if wanted.assignee == "unassigned":
        statement = statement.where(_C.assignee_id.is_(None))
    elif wanted.assignee is not None:
        statement = statement.where(_C.assignee_id == wanted.assignee)
    if wanted.search is None:
        return ordered(statement, _keys(sort, _C), page)
    tiers = _tiers(account_id, wanted, wanted.search)
    branches = [(tier.rank.value, statement.where(tier.matches)) for tier in tiers]
    return tiered(branches, lambda columns: _keys(sort, columns), _C, page)


def list_parameters(listing: Listing) -> dict[str, UUID]:
    """The values ``list_statement``'s statement binds at execution."""
    values = {"visible_to": listing.visible_to, "viewer": listing.viewer}
    return {name: value for name, value in values.items() if value is not None}


async def page_of(
    connection: AsyncConnection, account_id: UUID, listing: Listing, page: PageQuery
) -> Rows[ListedConversation]:
    """A page of the list (see ``list_statement``) and the cursor of the next one."""
    statement = list_statement(account_id, listing, page)
    rows = (await connection.execute(statement, list_parameters(listing))).all()

    def values(row: ListedConversation) -> list[Any]:
        keys = _values(listing.sort, row)
        return [row.search_rank, *keys] if listing.wanted.search is not None else keys

    return split_page_by(rows, page, values)


class SidebarCounts(NamedTuple):
    """How many conversations each list of the sidebar holds, for one status."""

    mine: int
    unassigned: int
    everyone: int
    participating: int
    starred: int
    unread: int
    unreplied: int
    by_status: dict[ConversationStatus, int]


def count_statement(
    account_id: UUID,
    agent_id: UUID,
    wanted: ConversationFilter,
    *,
    status: ConversationStatus,
    visible_to: UUID | None,
) -> Select[*tuple[Any, ...]]:
    """One scan of the conversations the caller may see that ``wanted`` finds, counting each
    list of the sidebar (at ``status``) and every status of the whole."""
    at_status = _C.status == status.value
    counts = [
        func.count().filter(at_status & (_C.assignee_id == agent_id)),
        func.count().filter(at_status & _C.assignee_id.is_(None)),
        func.count().filter(at_status),
        func.count().filter(at_status & _taking_part(account_id, agent_id)),
        func.count().filter(at_status & _starred(account_id, agent_id)),
        func.count().filter(at_status & _unread(agent_id)),
        func.count().filter(at_status & _C.waiting_since.is_not(None)),
        *(func.count().filter(_C.status == each.value) for each in ConversationStatus),
    ]
    statement = _filtered(select(*counts).select_from(Conversation.__table__), account_id, wanted)
    if visible_to is not None:
        statement = statement.where(access.visible_to(visible_to))
    if wanted.search is not None:
        statement = statement.where(_matches(account_id, wanted, wanted.search))
    return statement


async def counts_of(
    connection: AsyncConnection, statement: Select[*tuple[Any, ...]]
) -> SidebarCounts:
    mine, unassigned, everyone, participating, starred, unread, unreplied, *by_status = (
        await connection.execute(statement)
    ).one()
    return SidebarCounts(
        mine=mine,
        unassigned=unassigned,
        everyone=everyone,
        participating=participating,
        starred=starred,
        unread=unread,
        unreplied=unreplied,
        by_status=dict(zip(ConversationStatus, by_status, strict=True)),
    )
