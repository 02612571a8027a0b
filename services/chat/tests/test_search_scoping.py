"""The account-scoped trigram index of search (``switchboard.core.search``): what a query asks
of the index is always in a text that holds the query, so the index never hides a match, and
a search finds text across words' edges, in any script, only in its own account."""

from __future__ import annotations

import random
import uuid

from sqlalchemy import text

from .conftest import ChatAccount, ChatService

# Vietnamese with its accents, Latin, digits, punctuation, spaces and a script pg_trgm hashes.
_ALPHABET = list("abcdefghiklmnopqrstuvxyđăâêôơư àáảãạèéẻẽẹìíòóỏõọùúụỳý0123456789 .-@_,") + list(
    "你好世界"
)


def _texts(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Texts and a piece of each (cut anywhere, inside words too), as a user types it."""
    cases = []
    for _ in range(count):
        value = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 60)))
        start = rng.randint(0, len(value) - 1)
        piece = value[start : start + rng.randint(1, 20)]
        cases.append((value, piece.upper() if rng.random() < 0.2 else piece))
    return cases


async def test_what_a_query_asks_of_the_index_is_in_every_text_that_holds_it(
    chat_service: ChatService,
) -> None:
    cases = _texts(random.Random(20261208), 3000)
    scope = uuid.uuid4()
    async with chat_service.runtime.db.session() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT value, piece,"
                    " chat.scoped_trigrams(:scope, value) @> chat.query_trigrams(:scope, piece),"
                    " cardinality(chat.query_trigrams(:scope, piece)) > 0"
                    " FROM unnest(CAST(:values AS text[]), CAST(:pieces AS text[]))"
                    " AS case_(value, piece)"
                ),
                {
                    "scope": scope,
                    "values": [value for value, _ in cases],
                    "pieces": [piece for _, piece in cases],
                },
            )
        ).all()

    hidden = [(value, piece) for value, piece, covered, _ in rows if not covered]
    assert hidden == []
    # The index is asked something: most pieces of 3 letters or more narrow the search.
    narrowing = sum(1 for *_, asks in rows if asks)
    assert narrowing > len(cases) // 4


async def test_another_accounts_trigrams_are_kept_apart(chat_service: ChatService) -> None:
    ours, theirs = uuid.uuid4(), uuid.uuid4()
    async with chat_service.runtime.db.session() as session:
        covered = await session.scalar(
            text(
                "SELECT chat.scoped_trigrams(:theirs, 'xin chào')"
                " @> chat.query_trigrams(:ours, 'chao')"
            ),
            {"ours": ours, "theirs": theirs},
        )
    assert covered is False


async def _ids(account: ChatAccount, query: str) -> list[str]:
    response = await account.client.get(
        "/v1/conversations", params={"q": query}, headers=account.admin
    )
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_a_search_finds_text_across_the_edges_of_words_and_scripts(
    chat_account: ChatAccount, chat_other_account: ChatAccount
) -> None:
    _, named = await chat_account.create_visitor(name="Nguyễn Thị Huyền", phone="0912 345 678")
    by_name = await chat_account.open_conversation(named, "hello")
    _, quiet = await chat_account.create_visitor(name="Minh")
    by_text = await chat_account.open_conversation(quiet, "Giao hàng tới 你好世界 nhé")
    _, elsewhere = await chat_other_account.create_visitor(name="Nguyễn Thị Huyền")
    await chat_other_account.open_conversation(elsewhere, "Giao hàng tới 你好世界 nhé")

    # A query's first word may end a word of the text, its last may begin one.
    assert await _ids(chat_account, "yen thi huy") == [by_name["id"]]
    assert await _ids(chat_account, "345 67") == [by_name["id"]]
    assert await _ids(chat_account, "ao hang to") == [by_text["id"]]
    assert await _ids(chat_account, "好世") == [by_text["id"]]
    # Too short to narrow by the index: found all the same.
    assert await _ids(chat_account, "ng t") == [by_text["id"]]
    assert await _ids(chat_account, "n t") == [by_name["id"]]


async def test_quotes_and_backslashes_in_a_search_are_text(chat_account: ChatAccount) -> None:
    _, quoted = await chat_account.create_visitor(name="Seán O'Brien")
    by_quote = await chat_account.open_conversation(quoted, "hello")
    _, other = await chat_account.create_visitor(name="Minh")
    by_backslash = await chat_account.open_conversation(other, r"the path is C:\orders\2026")

    assert await _ids(chat_account, "o'brien") == [by_quote["id"]]
    assert await _ids(chat_account, r"c:\orders\20") == [by_backslash["id"]]
    assert await _ids(chat_account, "x'); DROP TABLE chat.message; --") == []
    assert await _ids(chat_account, "hello") == [by_quote["id"]]
