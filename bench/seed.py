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
# Vietnamese contacts and chat lines, accents and all: the search must fold them.
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Thị", "Văn", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Gia", "Bảo", "Quốc"]
GIVEN = ["Huyền", "Lan", "Hùng", "Dũng", "Trang", "Phương", "Tuấn", "Hà", "Linh", "Khoa", "Vy"]
WORDS = (
    "cho mình hỏi đơn hàng giao khi nào shop ơi còn hàng không size màu đổi trả bảo hành"
    " phí ship miễn phí voucher giảm giá thanh toán chuyển khoản cảm ơn bạn nhé xin chào"
    " sản phẩm bị lỗi hoàn tiền địa chỉ số điện thoại kiểm tra giúp mình với ạ"
).split()


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


def visitor_name(n: int) -> str:
    """The n-th visitor's name (a benchmark searches for one)."""
    family, middle = FAMILY[n % len(FAMILY)], MIDDLE[n // 7 % len(MIDDLE)]
    return f"{family} {middle} {GIVEN[n // 3 % len(GIVEN)]} {n}"


def _visitor(n: int) -> tuple[str, str, str]:
    """The n-th visitor's name, email and phone."""
    return visitor_name(n), f"visitor{n}@example.vn", f"09{n:08d}"


def _line(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))


def order_code(n: int) -> str:
    """The order code the n-th conversation's first message quotes: a rare word to search."""
    return f"DH{n:07d}"


async def seed(
    dsn: str,
    *,
    conversations: int,
    accounts: int,
    messages_per_conversation: int = 0,
    seed_value: int = 7,
) -> dict[str, Any]:
    """Accounts with one inbox and ``AGENTS_PER_ACCOUNT`` agents each, and ``conversations``
    spread evenly over them (each with its visitor, and ``messages_per_conversation`` lines
    of chat); returns the accounts and agents."""
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
            visitors, rows, lines = [], [], []
            for n in range(start, min(start + CHUNK, conversations)):
                index = n % accounts
                account, inbox = account_ids[index], inbox_ids[index]
                created = now - timedelta(seconds=born[n])
                visitor = _time_id(created, rng)
                activity = created + timedelta(seconds=rng.uniform(0, 3600))
                status = rng.choice(STATUSES)
                assignee = None if rng.random() < 0.3 else rng.choice(agents[account])
                visitors.append((visitor, account, inbox, *_visitor(n), created))
                conversation = _time_id(created, rng)
                for m in range(messages_per_conversation):
                    at = created + (activity - created) * (m + 1) / messages_per_conversation
                    text = _line(rng) if m else f"{_line(rng)} {order_code(n)}"
                    lines.append(_message(conversation, account, m, at, text, rng))
                rows.append(
                    (
                        conversation,
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
            if lines:
                await connection.copy_records_to_table(
                    "message", schema_name="chat", columns=MESSAGE_COLUMNS, records=lines
                )
        # A live table is vacuumed and analysed by autovacuum: visibility map, hint bits and
        # statistics as in steady state, so the first requests do not pay for them.
        for table in ("conversation", "visitor", "agent", "inbox", "message"):
            await connection.execute(f"VACUUM (ANALYZE) chat.{table}")
    finally:
        await connection.close()
    return {
        "accounts": [str(a) for a in account_ids],
        "agents": {str(a): [str(x) for x in ids] for a, ids in agents.items()},
        "conversations": conversations,
        "messages": conversations * messages_per_conversation,
        "seconds": time.perf_counter() - started,
    }


MESSAGE_COLUMNS = [
    "id",
    "account_id",
    "conversation_id",
    "sender_type",
    "sender_id",
    "content",
    "private",
    "client_message_id",
    "created_at",
]


def _message(
    conversation: uuid.UUID,
    account: uuid.UUID,
    m: int,
    at: datetime,
    text: str,
    rng: random.Random,
) -> tuple[Any, ...]:
    sender = "visitor" if m % 2 == 0 else "agent"
    return (_time_id(at, rng), account, conversation, sender, None, text, False, None, at)
