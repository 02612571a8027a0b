"""Queue positions: after a queue changes, its visitors learn their new place and wait."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from switchboard.core.runtime import DatabaseRuntime
from switchboard.routing.assignment.domain.waiting import estimate_wait_seconds, position_changes
from switchboard.routing.assignment.store import positions as store
from switchboard.routing.assignment.store import queue
from switchboard.routing.service import events


async def refresh_positions(
    runtime: DatabaseRuntime, *, account_id: UUID, inbox_ids: Collection[UUID]
) -> int:
    """Publish ``queue.position_changed`` for each conversation of these inboxes whose position
    differs from the one last told (0 once it left the queue); returns how many changed.

    Refreshes of one inbox coalesce across every routing process: the caller marks the inbox
    dirty, and whoever holds the inbox's advisory lock refreshes again until it stays clean, so
    a burst of queue changes costs a few refreshes, not one each (and never a missed one).
    An inbox with nobody waiting and nobody told a position has nothing to refresh: one read
    instead of a transaction (the usual case of a conversation assigned as it arrives).
    """
    changed = 0
    for inbox_id in sorted(inbox_ids):
        dirty = runtime.bus.key(f"routing:queue-dirty:{inbox_id}")
        await runtime.redis.set(dirty, 1, ex=300)
        # Read after the mark: a refresh in flight that saw the queue before our change sees
        # the mark when it ends and runs again.
        if not await _anyone_to_tell(runtime, inbox_id):
            continue
        while True:
            outcome = await _refresh_once(runtime, account_id, inbox_id, dirty)
            if outcome is None:  # another process holds the inbox: it sees our mark
                break
            changed += outcome
            if not await runtime.redis.exists(dirty):
                break
    return changed


async def _anyone_to_tell(runtime: DatabaseRuntime, inbox_id: UUID) -> bool:
    async with runtime.db.autocommit() as autocommit:
        return await store.anyone_to_tell(autocommit, inbox_id)


async def _refresh_once(
    runtime: DatabaseRuntime, account_id: UUID, inbox_id: UUID, dirty: str
) -> int | None:
    async with runtime.work() as work:
        session = work.session
        if not await store.try_lock_inbox(session, inbox_id):
            return None
        await runtime.redis.delete(dirty)
        rows = await store.waiting(session, account_id, inbox_id)
        told_rows = await store.told(session, inbox_id)
        told = {row[0]: int(row[1]) for row in told_rows}
        visitors = {row[0]: row[2] for row in told_rows} | {row[0]: row[1] for row in rows}
        changes = position_changes([row[0] for row in rows], told)
        if not changes:
            return 0
        waits = await queue.recent_waits(session, inbox_id)
        staying = [
            {
                "conversation_id": conversation_id,
                "account_id": account_id,
                "inbox_id": inbox_id,
                "visitor_id": visitors.get(conversation_id),
                "position": position,
            }
            for conversation_id, position in changes
            if position > 0
        ]
        gone = [conversation_id for conversation_id, position in changes if position == 0]
        await store.record(session, staying, gone)
        for conversation_id, position in changes:
            await work.publish(
                events.queue_position_changed(
                    account_id=account_id,
                    conversation_id=conversation_id,
                    inbox_id=inbox_id,
                    visitor_id=visitors.get(conversation_id),
                    position=position,
                    estimated_wait_seconds=estimate_wait_seconds(position, waits),
                ),
            )
        return len(changes)
