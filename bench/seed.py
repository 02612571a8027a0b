"""Seeding the chat schema for the conversation-list benchmark: COPY straight into the tables.

``python -m bench seed --conversations 1000000 --accounts 50`` seeds the database of
``SB_DATABASE_URL`` (migrated first); the benchmark itself seeds its throw-away database.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

STATUSES = ["open"] * 45 + ["pending"] * 10 + ["resolved"] * 45
AGENTS_PER_ACCOUNT = 10
CHUNK = 100_000


def _time_id(at: datetime, rng: random.Random) -> uuid.UUID:
    """A UUIDv7 of ``at``, as chat's ``new_id`` makes them."""
    millis = int(at.timestamp() * 1000)
    return uuid.UUID(
        int=(millis << 80)
        | (0x7 << 76)
        | (rng.getrandbits(12) << 64)
        | (0b10 << 62)
        | rng.getrandbits(62)
    )


async def seed(
    dsn: str, *, conversations: int, accounts: int, seed_value: int = 7
) -> dict[str, Any]:
    """Accounts with one inbox and ``AGENTS_PER_ACCOUNT`` agents each, and ``conversations``
    spread evenly over them (each with its visitor); returns the accounts and agents."""
    rng = random.Random(seed_value)
    now = datetime.now(UTC)
    started = time.perf_counter()
    connection = await asyncpg.connect(dsn)
    try:
        account_ids = [uuid.uuid4() for _ in range(accounts)]
        inbox_ids = [uuid.uuid4() for _ in range(accounts)]
        agents = {a: [uuid.uuid4() for _ in range(AGENTS_PER_ACCOUNT)] for a in account_ids}
        await connection.copy_records_to_table(
            "inbox",
            schema_name="chat",
            columns=["id", "account_id", "name", "widget_token", "created_at"],
            records=[
                (inbox, account, "Seeded", uuid.uuid4().hex, now)
                for account, inbox in zip(account_ids, inbox_ids, strict=True)
            ],
        )
        await connection.copy_records_to_table(
            "agent",
            schema_name="chat",
            columns=["id", "account_id", "name", "email", "updated_at"],
            records=[
                (agent, account, f"Agent {n}", None, now)
                for account, ids in agents.items()
                for n, agent in enumerate(ids)
            ],
        )
        # Oldest first with time-ordered ids, as chat writes them: every index grows at a few
        # hot edges instead of taking random inserts all over (3x faster), and the heap holds
        # the accounts interleaved in time as a real table does.
        born = sorted(rng.uniform(3600, 90 * 86400) for _ in range(conversations))
        born.reverse()
        for start in range(0, conversations, CHUNK):
            visitors, rows = [], []
            for n in range(start, min(start + CHUNK, conversations)):
                index = n % accounts
                account, inbox = account_ids[index], inbox_ids[index]
                created = now - timedelta(seconds=born[n])
                visitor = _time_id(created, rng)
                activity = created + timedelta(seconds=rng.uniform(0, 3600))
                status = rng.choice(STATUSES)
                assignee = None if rng.random() < 0.3 else rng.choice(agents[account])
                visitors.append((visitor, account, inbox, f"Visitor {n}", None, None, created))
                rows.append(
                    (
                        _time_id(created, rng),
                        account,
                        inbox,
                        visitor,
                        status,
                        None,
                        assignee,
                        created,
                        activity,
                        activity,
                        activity,
                    )
                )
            await connection.copy_records_to_table(
                "visitor",
                schema_name="chat",
                columns=["id", "account_id", "inbox_id", "name", "email", "phone", "created_at"],
                records=visitors,
            )
            await connection.copy_records_to_table(
                "conversation",
                schema_name="chat",
                columns=[
                    "id",
                    "account_id",
                    "inbox_id",
                    "visitor_id",
                    "status",
                    "snoozed_until",
                    "assignee_id",
                    "created_at",
                    "updated_at",
                    "last_message_at",
                    "last_activity_at",
                ],
                records=rows,
            )
        # A live table is vacuumed and analysed by autovacuum: visibility map, hint bits and
        # statistics as in steady state, so the first requests do not pay for them.
        for table in ("conversation", "visitor", "agent", "inbox"):
            await connection.execute(f"VACUUM (ANALYZE) chat.{table}")
    finally:
        await connection.close()
    return {
        "accounts": [str(a) for a in account_ids],
        "agents": {str(a): [str(x) for x in ids] for a, ids in agents.items()},
        "conversations": conversations,
        "seconds": time.perf_counter() - started,
    }
