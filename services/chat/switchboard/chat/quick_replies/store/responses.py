"""Queries of quick replies: by id as a caller may see them, the "/" search, their teams.

The search compares folded text (``switchboard.core.search``): the reply's is folded once,
when written (its stored columns ``shortcut_folded`` and ``text_folded``, each indexed), the
query's once per search.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import ColumnElement, Select, delete, exists, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from switchboard.chat.quick_replies.domain.audience import Viewer, Visibility
from switchboard.chat.quick_replies.domain.search import ReplySearch, SearchRank
from switchboard.chat.quick_replies.store.models import (
    CannedResponse,
    CannedResponseAttachment,
    CannedResponseTeam,
)
from switchboard.chat.store.models import Team, TeamMember
from switchboard.core.pagination import (
    RANK,
    PageQuery,
    Rows,
    SortKey,
    ordered,
    split_page_by,
    tiered,
)
from switchboard.core.search import contains, starts_with

SCHEMA = "chat"
_R = CannedResponse.__table__.c
_T = CannedResponseTeam.__table__.c
_M = TeamMember.__table__.c
_F = CannedResponseAttachment.__table__.c


# What a listed reply carries besides its row: its teams (in id order) and whether it has
# files (only then are they read, in a second query). Asked of the page's rows only, over the
# columns ``reply`` of the table or of a search's union: beside a sort, PostgreSQL would ask
# them of every match before sorting.
def _team_ids(reply: Any) -> Any:
    return func.array(
        select(_T.team_id)
        .where(_T.canned_response_id == reply.id, _T.account_id == reply.account_id)
        .order_by(_T.team_id)
        .scalar_subquery()
    ).label("team_ids")


def _has_files(reply: Any) -> Any:
    return (
        exists()
        .where(_F.canned_response_id == reply.id, _F.account_id == reply.account_id)
        .label("has_files")
    )


def _visible(account_id: UUID, viewer: Viewer) -> ColumnElement[bool]:
    """The replies ``viewer`` sees (see ``domain.audience``)."""
    teams = _R.id.in_(select(_T.canned_response_id).where(_T.account_id == account_id))
    if not viewer.every_team:
        his_teams = select(_M.team_id).where(_M.account_id == account_id, _M.agent_id == viewer.id)
        teams = _R.id.in_(
            select(_T.canned_response_id).where(
                _T.account_id == account_id, _T.team_id.in_(his_teams)
            )
        )
    return or_(
        _R.visibility == Visibility.account.value,
        (_R.visibility == Visibility.personal.value) & (_R.owner_id == viewer.id),
        (_R.visibility == Visibility.team.value) & teams,
    )


async def get(
    session: AsyncSession,
    account_id: UUID,
    response_id: UUID,
    *,
    viewer: Viewer,
    lock: bool = False,
) -> CannedResponse | None:
    """The account's reply with this id, if ``viewer`` sees it; ``lock``: for the transaction."""
    statement = select(CannedResponse).where(
        _R.account_id == account_id, _R.id == response_id, _visible(account_id, viewer)
    )
    if lock:
        statement = statement.with_for_update(of=CannedResponse)
    return await session.scalar(statement)


async def saved(session: AsyncSession, response: CannedResponse) -> bool:
    """Write the new or changed reply; False when its shortcut is the account's already."""
    try:
        async with session.begin_nested():
            session.add(response)
            await session.flush()
    except IntegrityError as exc:
        if "uq_canned_response_account_shortcut" in str(exc.orig):
            return False
        raise
    return True


async def remove(session: AsyncSession, response: CannedResponse) -> None:
    await session.execute(
        delete(CannedResponse).where(_R.account_id == response.account_id, _R.id == response.id)
    )


async def team_ids(
    session: AsyncSession, account_id: UUID, response_ids: Sequence[UUID]
) -> dict[UUID, list[UUID]]:
    """The teams of each of the account's replies (an empty list for one that names none),
    in id order."""
    found: dict[UUID, list[UUID]] = {id_: [] for id_ in response_ids}
    if not response_ids:
        return found
    rows = await session.execute(
        select(_T.canned_response_id, _T.team_id)
        .where(_T.account_id == account_id, _T.canned_response_id.in_(list(response_ids)))
        .order_by(_T.team_id)
    )
    for response_id, team_id in rows:
        found[response_id].append(team_id)
    return found


async def set_teams(
    session: AsyncSession, account_id: UUID, response_id: UUID, team_ids: Sequence[UUID]
) -> None:
    """The reply is seen by exactly these teams."""
    await session.execute(
        delete(CannedResponseTeam).where(
            _T.account_id == account_id, _T.canned_response_id == response_id
        )
    )
    if team_ids:
        rows = [
            {"canned_response_id": response_id, "team_id": team_id, "account_id": account_id}
            for team_id in team_ids
        ]
        await session.execute(insert(CannedResponseTeam).values(rows))


async def known_teams(
    session: AsyncSession, account_id: UUID, team_ids: Sequence[UUID]
) -> set[UUID]:
    """Which of ``team_ids`` are teams of the account (as routing announced them)."""
    if not team_ids:
        return set()
    rows = await session.scalars(
        select(Team.id).where(Team.account_id == account_id, Team.id.in_(list(team_ids)))
    )
    return set(rows)


async def members_of(
    session: AsyncSession, account_id: UUID, team_ids: Sequence[UUID]
) -> list[UUID]:
    """The agents of any of the teams, each once."""
    if not team_ids:
        return []
    rows = await session.scalars(
        select(_M.agent_id)
        .where(_M.account_id == account_id, _M.team_id.in_(list(team_ids)))
        .distinct()
        .order_by(_M.agent_id)
    )
    return list(rows)


async def memberships(
    session: AsyncSession, account_id: UUID, team_ids: Iterable[UUID]
) -> dict[UUID, set[UUID]]:
    """The members of the teams, each with those of the teams he is in, by agent id."""
    wanted = list(set(team_ids))
    found: dict[UUID, set[UUID]] = {}
    if not wanted:
        return found
    rows = await session.execute(
        select(_M.agent_id, _M.team_id)
        .where(_M.account_id == account_id, _M.team_id.in_(wanted))
        .order_by(_M.agent_id)
    )
    for agent_id, team_id in rows:
        found.setdefault(agent_id, set()).add(team_id)
    return found


def _keys(columns: Any) -> tuple[SortKey, ...]:
    return (SortKey(columns.shortcut, read=str), SortKey(columns.id, read=UUID))


def search_statement(
    account_id: UUID, viewer: Viewer, search: ReplySearch | None, page: PageQuery
) -> Select[*tuple[Any, ...]]:
    """The SELECT of a page of the replies ``viewer`` sees that ``search`` finds, ranked:
    those whose shortcut begins with the text, then (``in_text``) the others whose title or
    content holds it, each by shortcut (``tiered``: a text most replies hold is found by
    walking the shortcuts until a page is full, not by sorting every match)."""
    statement: Select[*tuple[Any, ...]] = select(CannedResponse).where(
        _R.account_id == account_id, _visible(account_id, viewer)
    )
    if search is None:
        return ordered(statement, _keys(_R), page)
    by_shortcut = starts_with(_R.shortcut_folded, search.text, schema=SCHEMA, column_folded=True)
    tiers = [(SearchRank.shortcut.value, statement.where(by_shortcut))]
    if search.in_text:
        by_text = contains(_R.text_folded, search.text, schema=SCHEMA, column_folded=True)
        tiers.append((SearchRank.text.value, statement.where(~by_shortcut, by_text)))
    return tiered(tiers, _keys, _R, page)


class ListedReply(NamedTuple):
    reply: CannedResponse
    team_ids: list[UUID]
    has_files: bool


async def page_of(
    session: AsyncSession,
    account_id: UUID,
    viewer: Viewer,
    search: ReplySearch | None,
    page: PageQuery,
) -> Rows[ListedReply]:
    """A page of the replies ``viewer`` sees that ``search`` finds, each with its teams and
    whether it has files."""
    # The page's rows, then what each carries (see ``_team_ids``).
    found = search_statement(account_id, viewer, search, page).subquery()
    statement = select(aliased(CannedResponse, found), _team_ids(found.c), _has_files(found.c))
    order: list[Any] = [key.expression for key in _keys(found.c)]
    if search is not None:
        statement, order = statement.add_columns(found.c[RANK]), [found.c[RANK].desc(), *order]
    rows: Sequence[Any] = (await session.execute(statement.order_by(*order))).all()

    def values(row: Any) -> list[Any]:
        keys = [row[0].shortcut, row[0].id]
        return [row[3], *keys] if search is not None else keys

    return split_page_by(rows, page, values).map(
        lambda row: ListedReply(row[0], list(row[1]), bool(row[2]))
    )
