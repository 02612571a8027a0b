"""The quick-reply search ("/" in the composer): ``--canned-responses`` replies COPYed into one
account, ``GET /v1/canned-responses?q=`` through the gateway as an agent of two of its teams,
beside the SQL chat issues for the same search (compiled from chat's own store), prepared,
bare asyncpg, in the same run."""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from sqlalchemy.dialects import postgresql

from bench import gen
from bench.stack import asyncpg_dsn, timed_sql
from switchboard.core.settings import Settings
from tests.suite import Suite

TEAMS = 5
AUTHORS = 10
# The searches: what an agent types after "/" (short: shortcuts only), a word of a shortcut
# and of contents, unaccented words of accented contents, nothing (the first page).
QUERIES: dict[str, str | None] = {
    "/ch (prefix)": "/ch",
    "chao (prefix + text)": "chao",
    "cam on (accents)": "cam on",
    "don hang (accents)": "don hang",
    "no q (first page)": None,
}
_WORDS = [
    "chào", "cảm ơn", "đơn hàng", "giao hàng", "thanh toán", "hoàn tiền", "khuyến mãi",
    "địa chỉ", "bảo hành", "đổi trả", "xin lỗi", "hẹn gặp", "tạm biệt", "liên hệ", "sản phẩm",
    "kích thước", "màu sắc", "tồn kho", "vận chuyển", "phí ship", "mã giảm giá", "tài khoản",
    "mật khẩu", "hóa đơn", "chuyển khoản", "thẻ tín dụng", "trả góp", "cửa hàng", "giờ mở cửa",
    "order", "refund", "shipping", "invoice", "discount", "warranty", "size", "stock", "store",
    "payment", "account",
]  # fmt: skip
_SHORT = [
    "chao", "cam", "don", "giao", "tt", "hoan", "km", "dc", "bh", "doi", "xl", "hen", "bye",
    "sp", "ship", "ma", "tk", "hd", "ck", "the", "gop", "shop", "gio", "ord", "ref", "inv",
]  # fmt: skip


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words))


async def seed(dsn: str, *, responses: int, seed_value: int = 11) -> dict[str, Any]:
    """One account's replies: 60 % account-wide, 20 % for one of ``TEAMS`` teams, 20 %
    personal to one of ``AUTHORS`` agents; the first agent is in two of the teams."""
    rng = random.Random(seed_value)
    now = datetime.now(UTC)
    started = time.perf_counter()
    account = uuid.uuid4()
    teams = [uuid.uuid4() for _ in range(TEAMS)]
    authors = [uuid.uuid4() for _ in range(AUTHORS)]
    rows, team_rows = [], []
    for n in range(responses):
        reply = uuid.uuid4()
        roll = rng.random()
        visibility = "account" if roll < 0.6 else "team" if roll < 0.8 else "personal"
        at = now - timedelta(seconds=responses - n)
        title = f"{_text(rng, 2)} {n}"
        content = f"{_text(rng, 10)} {{{{contact.name}}}}, {_text(rng, 6)}."
        rows.append(
            (reply, account, f"{rng.choice(_SHORT)}{n}", title, content, visibility,
             rng.choice(authors), at, at)
        )  # fmt: skip
        if visibility == "team":
            team_rows.append((reply, rng.choice(teams), account))
    connection = await asyncpg.connect(dsn)
    try:
        await connection.copy_records_to_table(
            "canned_response",
            schema_name="chat",
            columns=["id", "account_id", "shortcut", "title", "content", "visibility",
                     "owner_id", "created_at", "updated_at"],
            records=rows,
        )  # fmt: skip
        await connection.copy_records_to_table(
            "canned_response_team",
            schema_name="chat",
            columns=["canned_response_id", "team_id", "account_id"],
            records=team_rows,
        )
        await connection.copy_records_to_table(
            "team_member",
            schema_name="chat",
            columns=["team_id", "agent_id", "account_id"],
            records=[(team, authors[0], account) for team in teams[:2]],
        )
        for table in ("canned_response", "canned_response_team", "team_member"):
            await connection.execute(f"VACUUM (ANALYZE) chat.{table}")
    finally:
        await connection.close()
    return {
        "account": account,
        "agent": authors[0],
        "responses": responses,
        "seconds": time.perf_counter() - started,
    }


def _search_sql(account: uuid.UUID, agent: uuid.UUID, q: str | None) -> tuple[str, list[Any]]:
    """The statement chat issues for the search (built by chat's own store function)."""
    from switchboard.chat.quick_replies.domain.audience import Viewer
    from switchboard.chat.quick_replies.domain.search import reply_search
    from switchboard.chat.quick_replies.store.responses import search_statement
    from switchboard.core.pagination import PageQuery

    viewer = Viewer(id=agent, every_team=False)
    statement = search_statement(account, viewer, reply_search(q), PageQuery(limit=50))
    # SQLAlchemy's dialect classes are not annotated.
    compiled = statement.compile(
        dialect=postgresql.asyncpg.dialect(),  # type: ignore[no-untyped-call]
        compile_kwargs={"render_postcompile": True},  # the searched text, written in
    )
    return str(compiled), [compiled.params[name] for name in compiled.positiontup or []]


async def _baseline(
    dsn: str, account: uuid.UUID, agent: uuid.UUID, requests: int
) -> dict[str, Any]:
    connection = await asyncpg.connect(dsn)
    out: dict[str, Any] = {}
    try:
        for name, q in QUERIES.items():
            sql, params = _search_sql(account, agent, q)
            out[name] = await timed_sql(connection, sql, params, requests)
    finally:
        await connection.close()
    return out


async def canned(suite: Suite, settings: Settings, args: Any) -> dict[str, Any]:
    dsn = asyncpg_dsn(settings.database_url)
    seeded = await seed(dsn, responses=args.canned_responses)
    from switchboard.core.auth import Principal, Role, issue_token

    agent = Principal(
        kind="agent", id=seeded["agent"], account_id=seeded["account"], role=Role.agent
    )
    token = issue_token(settings, agent, token_type="access", ttl_seconds=3600)
    queries = {name: ({"q": q} if q is not None else {}) for name, q in QUERIES.items()}
    system = await gen.run(
        "listing",
        {
            "base_url": suite.base_url,
            "path": "/v1/canned-responses",
            "token": token,
            "queries": queries,
            "requests": args.canned_requests,
        },
    )
    baseline = await _baseline(dsn, seeded["account"], seeded["agent"], args.canned_requests)
    return {
        "system": system,
        "baseline": baseline,
        "seeded": seeded["responses"],
        "seed_seconds": seeded["seconds"],
    }
