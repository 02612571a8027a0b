"""Use cases of quick replies: save, change, delete, read and the "/" search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.attachments.service.sweep import delete_after_commit
from switchboard.chat.errors import (
    CannedResponseNotFound,
    ShortcutTaken,
    TeamNotFound,
    UnknownPlaceholder,
    refused_audience,
)
from switchboard.chat.quick_replies.domain import placeholders
from switchboard.chat.quick_replies.domain.audience import (
    AudienceRefused,
    Colleague,
    Manager,
    Reach,
    Seen,
    Viewer,
    Visibility,
    check_audience,
    check_manages,
    reach_of_change,
)
from switchboard.chat.quick_replies.domain.search import reply_search
from switchboard.chat.quick_replies.domain.shortcuts import shortcut_of
from switchboard.chat.quick_replies.service import events
from switchboard.chat.quick_replies.service.shown import ReplyFileView, files_of
from switchboard.chat.quick_replies.store import files as file_store
from switchboard.chat.quick_replies.store import responses as store
from switchboard.chat.quick_replies.store.models import CannedResponse
from switchboard.chat.store import agents as agent_store
from switchboard.chat.store.models import new_id
from switchboard.core.auth import Principal, Role
from switchboard.core.events import utcnow
from switchboard.core.pagination import PageQuery, Rows
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.work import UnitOfWork


@dataclass(frozen=True)
class ReplyView:
    response: CannedResponse
    team_ids: list[UUID]
    files: list[ReplyFileView] = field(default_factory=list)


@dataclass(frozen=True)
class ReplyDraft:
    """What a caller writes: every field of a new reply, or those of a change (None: kept)."""

    shortcut: str | None = None
    title: str | None = None
    content: str | None = None
    visibility: Visibility | None = None
    team_ids: list[UUID] | None = None


def viewer_of(caller: Principal) -> Viewer:
    return Viewer(id=caller.id, every_team=caller.at_least(Role.supervisor))


def _manager(caller: Principal) -> Manager:
    return Manager(id=caller.id, admin=caller.at_least(Role.admin))


def _checked_text(*texts: str) -> None:
    """422 ``unknown_placeholder`` naming the first placeholder no conversation fills."""
    for text in texts:
        try:
            placeholders.placeholders_in(text)
        except placeholders.UnknownPlaceholder as exc:
            raise UnknownPlaceholder(str(exc), details={"placeholder": exc.name}) from exc


async def _checked_teams(session: AsyncSession, account_id: UUID, team_ids: Sequence[UUID]) -> None:
    known = await store.known_teams(session, account_id, team_ids)
    if missing := [str(team_id) for team_id in team_ids if team_id not in known]:
        raise TeamNotFound(details={"team_ids": missing})


def _audience_of(manager: Manager, visibility: Visibility, team_ids: Sequence[UUID]) -> list[UUID]:
    try:
        check_manages(manager, visibility)
        return check_audience(visibility, team_ids)
    except AudienceRefused as exc:
        raise refused_audience(exc) from exc


async def _told(work: UnitOfWork, response: CannedResponse, team_ids: Sequence[UUID]) -> list[str]:
    members = await store.members_of(work.session, response.account_id, team_ids)
    return events.everyone_who_sees(response, members)


def _seen(response: CannedResponse, team_ids: Sequence[UUID]) -> Seen:
    return Seen(Visibility(response.visibility), response.owner_id, frozenset(team_ids))


async def _reach(work: UnitOfWork, caller: Principal, before: Seen, after: Seen) -> Reach:
    """Who loses, keeps and gains the reply when whom it is for changes, among every active
    agent of the account chat knows, the members of its teams before and after, its author
    and the caller (as his token says he sees replies).

    Named one by one: an audience reaches whoever matches any of its strings, so "everyone
    but those who still see it" has no role string."""
    session = work.session
    roles = await agent_store.roles(session, caller.account_id)
    teams = await store.memberships(session, caller.account_id, before.team_ids | after.team_ids)
    everyone = dict.fromkeys([*roles, *teams, before.owner_id])
    people = {
        agent_id: Colleague.of(agent_id, roles.get(agent_id), teams.get(agent_id, ()))
        for agent_id in everyone
    }
    people[caller.id] = Colleague(
        id=caller.id,
        every_team=viewer_of(caller).every_team,
        team_ids=frozenset(teams.get(caller.id, ())),
    )
    return reach_of_change(people.values(), before, after)


async def create_reply(
    runtime: DatabaseRuntime, *, caller: Principal, draft: ReplyDraft, origin: str | None = None
) -> ReplyView:
    """Save a new reply; ``canned_response.created`` goes to whoever sees it."""
    assert draft.shortcut and draft.title is not None and draft.content is not None
    visibility = draft.visibility or Visibility.personal
    async with runtime.work() as work:
        await _checked_teams(work.session, caller.account_id, draft.team_ids or [])
        team_ids = _audience_of(_manager(caller), visibility, draft.team_ids or [])
        _checked_text(draft.title, draft.content)
        now = utcnow()
        response = CannedResponse(
            id=new_id(),
            account_id=caller.account_id,
            shortcut=shortcut_of(draft.shortcut),
            title=draft.title,
            content=draft.content,
            visibility=visibility.value,
            owner_id=caller.id,
            created_at=now,
            updated_at=now,
        )
        if not await store.saved(work.session, response):
            raise ShortcutTaken()
        await store.set_teams(work.session, caller.account_id, response.id, team_ids)
        audience = await _told(work, response, team_ids)
        await work.publish(events.created(response, team_ids, audience, origin))
    return ReplyView(response, team_ids)


async def managed(
    work: UnitOfWork, caller: Principal, response_id: UUID
) -> tuple[CannedResponse, list[UUID]]:
    """The reply the caller sees, locked, with its teams: 404 when he does not see it, 403 when
    he may not manage it."""
    response = await store.get(
        work.session, caller.account_id, response_id, viewer=viewer_of(caller), lock=True
    )
    if response is None:
        raise CannedResponseNotFound()
    try:
        check_manages(_manager(caller), Visibility(response.visibility))
    except AudienceRefused as exc:
        raise refused_audience(exc) from exc
    team_ids = (await store.team_ids(work.session, caller.account_id, [response.id]))[response.id]
    return response, team_ids


async def update_reply(
    runtime: DatabaseRuntime,
    *,
    caller: Principal,
    response_id: UUID,
    draft: ReplyDraft,
    origin: str | None = None,
) -> ReplyView:
    """Change what ``draft`` names; ``canned_response.updated`` goes to whoever sees it. When
    whom it is for changes, those who no longer see it hear ``canned_response.deleted``, those
    who still do ``.updated`` and those who newly do ``.created`` (see ``domain.audience``)."""
    async with runtime.work() as work:
        response, before = await managed(work, caller, response_id)
        seen_before = _seen(response, before)
        visibility = draft.visibility or Visibility(response.visibility)
        wanted = draft.team_ids
        if wanted is None:
            wanted = before if visibility is Visibility(response.visibility) else []
        await _checked_teams(work.session, caller.account_id, wanted)
        team_ids = _audience_of(_manager(caller), visibility, wanted)
        _checked_text(draft.title or "", draft.content or "")
        if draft.shortcut is not None:
            response.shortcut = shortcut_of(draft.shortcut)
        response.title = draft.title if draft.title is not None else response.title
        response.content = draft.content if draft.content is not None else response.content
        response.visibility = visibility.value
        response.updated_at = utcnow()
        if not await store.saved(work.session, response):
            raise ShortcutTaken()
        if team_ids != before:
            await store.set_teams(work.session, caller.account_id, response.id, team_ids)
        seen_after = _seen(response, team_ids)
        if seen_after == seen_before:
            audience = await _told(work, response, team_ids)
            await work.publish(events.updated(response, team_ids, audience, origin))
        else:
            reach = await _reach(work, caller, seen_before, seen_after)
            await work.publish_many(events.reach_changed(response, team_ids, reach, origin))
        files = await files_of(work.session, runtime.settings, caller.account_id, [response.id])
    return ReplyView(response, team_ids, files[response.id])


async def delete_reply(
    runtime: DatabaseRuntime, *, caller: Principal, response_id: UUID, origin: str | None = None
) -> None:
    """Delete the reply; ``canned_response.deleted`` goes to whoever saw it."""
    async with runtime.work() as work:
        response, team_ids = await managed(work, caller, response_id)
        audience = await _told(work, response, team_ids)
        keys = await file_store.remove_of_reply(work.session, caller.account_id, response.id)
        delete_after_commit(work, keys, runtime.settings)
        await store.remove(work.session, response)
        await work.publish(events.deleted(response, audience, origin))


async def get_reply(runtime: DatabaseRuntime, *, caller: Principal, response_id: UUID) -> ReplyView:
    async with runtime.db.session() as session:
        response = await store.get(
            session, caller.account_id, response_id, viewer=viewer_of(caller)
        )
        if response is None:
            raise CannedResponseNotFound()
        team_ids = (await store.team_ids(session, caller.account_id, [response.id]))[response.id]
        files = await files_of(session, runtime.settings, caller.account_id, [response.id])
    return ReplyView(response, team_ids, files[response.id])


async def list_replies(
    runtime: DatabaseRuntime, *, caller: Principal, q: str | None, page: PageQuery
) -> Rows[ReplyView]:
    """The replies the caller sees that ``q`` finds (see ``domain.search``), ranked."""
    async with runtime.db.session() as session:
        rows = await store.page_of(
            session, caller.account_id, viewer_of(caller), reply_search(q), page
        )
        with_files = [row.reply.id for row in rows.items if row.has_files]
        files = await files_of(session, runtime.settings, caller.account_id, with_files)
    return rows.map(
        lambda row: ReplyView(row.reply, list(row.team_ids), files.get(row.reply.id, []))
    )
