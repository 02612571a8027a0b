"""How an inbox routes: its strategy, its team, its response timer."""

from __future__ import annotations

from uuid import UUID

from switchboard.core.auth import Principal
from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.service.drain import drain
from switchboard.routing.directory.service.access import require_inbox_member
from switchboard.routing.directory.service.memberships import require_inbox
from switchboard.routing.directory.service.teams import checked_strategy
from switchboard.routing.directory.store import inboxes as inbox_store
from switchboard.routing.directory.store import teams as team_store
from switchboard.routing.errors import InboxNotFound, TeamNotFound, found
from switchboard.routing.store.models import Inbox


async def get_inbox_routing(
    runtime: DatabaseRuntime, *, caller: Principal, inbox_id: UUID
) -> Inbox:
    """How the inbox routes (an agent: his own inboxes)."""
    async with runtime.db.session() as session:
        await require_inbox_member(session, caller, inbox_id)
        return await require_inbox(session, caller.account_id, inbox_id)


async def set_inbox_routing(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    inbox_id: UUID,
    strategy: str,
    team_id: UUID | None,
    response_timeout_seconds: int | None,
    inbox_name: str | None = None,
) -> Inbox:
    """Replace the inbox's routing, then drain its queue under the new rules.

    With ``inbox_name`` the inbox projection is written first (chat's ``inbox.created`` may
    not have arrived yet).
    """
    strategy = checked_strategy(strategy)
    async with runtime.work() as work:
        session = work.session
        if inbox_name is not None and not await inbox_store.upsert(
            session, inbox_id=inbox_id, account_id=account_id, name=inbox_name
        ):
            raise InboxNotFound()
        inbox = await require_inbox(session, account_id, inbox_id)
        if team_id is not None:
            found(await team_store.get(session, account_id, team_id), TeamNotFound)
        inbox.strategy = strategy
        inbox.team_id = team_id
        inbox.response_timeout_seconds = response_timeout_seconds
    await drain(runtime, account_id=account_id, inbox_ids=[inbox_id])
    return inbox
