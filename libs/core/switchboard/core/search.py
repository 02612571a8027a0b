"""Accent-insensitive search: "huyen" finds "Huyền", "xin chao" finds "xin chào".

Text is compared *folded*: lower case with its accents taken off by PostgreSQL's ``unaccent``
(Vietnamese "Đặng" folds to "dang"). ``unaccent`` is not ``IMMUTABLE``, so it cannot stand in
an index; each schema that searches gets its own immutable ``<schema>.folded(text)``, and
its indexes (GIN on the account and ``pg_trgm``'s ``gin_trgm_ops`` of the folded text, which
serves ``account_id = ... AND folded(...) LIKE '%...%'``) and its queries write the same
expression, which is what lets PostgreSQL use the index.

A migration creates the extensions and the function with ``folding_statements(schema)``
(and drops the function with ``unfolding_statements(schema)``); a store writes
``contains(column, query, schema=...)``.

**Scoped to an account.** The postings of a GIN index are the whole table's, whatever else
the index holds: a multi-column GIN of the account and the trigrams still reads every
account's rows of each trigram, and the trigrams of names ("ngu", "yen") or of a shop's
common words are in most rows. ``scoping_statements(schema)`` adds
``<schema>.scoped_trigrams(scope, text)``, the trigrams of the folded text each prefixed
with its account, and ``<schema>.query_trigrams(scope, query)``, those that any text holding
the query must hold. A GIN index of the first then keeps one posting list per account and
trigram, and ``scoped_contains`` asks it (and checks the match itself, as the index only
narrows). The extensions are trusted since PostgreSQL 13: a role
that may create in the database may create them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal
from sqlalchemy.types import String, Uuid

__all__ = [
    "contains",
    "folded",
    "folding_statements",
    "like_pattern",
    "scoped_contains",
    "scoping_statements",
    "starts_with",
    "unfolding_statements",
    "unscoping_statements",
]

# btree_gin: a GIN index may hold a plain column beside the trigrams (the first indexes of
# messages and visitors did; their postings were still every account's, see above).
EXTENSIONS = ("unaccent", "pg_trgm", "btree_gin")


def folding_statements(schema: str) -> list[str]:
    """The statements of a migration that lets ``schema`` search: the extensions (once per
    database, in ``public``) and ``<schema>.folded``."""
    return [
        *(f"CREATE EXTENSION IF NOT EXISTS {name} WITH SCHEMA public" for name in EXTENSIONS),
        f"CREATE OR REPLACE FUNCTION {schema}.folded(value text) RETURNS text"
        " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
        " AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$",
    ]


# The trigrams of a text as pg_trgm makes them: a word is padded ("  d", " do", "on "), so
# some trigrams are of a word's edges. Of a query, those of its own first and last edges are
# not sure to be in a text that holds it (its first word may end a word of the text, its last
# may begin one), and a trigram of letters other than ASCII pg_trgm shows hashed, its edges
# unseen. So the query's trigrams are taken three characters at a time: of ``abc``, what
# ``show_trgm`` gives beyond what its edges ``ab`` and ``bc`` give is ``abc`` itself when all
# three are of one word, nothing when a separator is among them. The prefix, the first 8
# characters of the scope's id, keeps each account's postings apart; two accounts sharing it
# only share postings (the scope's own condition and the match are still asked).
_SCOPED = "left(scope::text, 8) || trigram"
_INNER_TRIGRAMS = (
    "SELECT unnest(public.show_trgm(substr(folded, i, 3)))"
    " EXCEPT SELECT unnest(public.show_trgm(substr(folded, i, 2)))"
    " EXCEPT SELECT unnest(public.show_trgm(substr(folded, i + 1, 2)))"
)


def scoping_statements(schema: str) -> list[str]:
    """The statements of a migration that lets ``schema`` search within an account through
    a GIN index of ``<schema>.scoped_trigrams(account_id, text)`` (after
    ``folding_statements``)."""
    return [
        f"CREATE OR REPLACE FUNCTION {schema}.scoped_trigrams(scope uuid, value text)"
        " RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$"
        f" SELECT coalesce(array_agg({_SCOPED}), '{{}}')"
        f" FROM unnest(public.show_trgm({schema}.folded(value))) AS trigram $$",
        f"CREATE OR REPLACE FUNCTION {schema}.query_trigrams(scope uuid, query text)"
        " RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$"
        f" SELECT coalesce(array_agg(DISTINCT {_SCOPED}), '{{}}')"
        f" FROM (SELECT {schema}.folded(query) AS folded) AS q,"
        " generate_series(1, length(q.folded) - 2) AS i,"
        f" unnest(ARRAY({_INNER_TRIGRAMS})) AS trigram $$",
    ]


def unscoping_statements(schema: str) -> list[str]:
    """The downgrade of ``scoping_statements``."""
    return [
        f"DROP FUNCTION IF EXISTS {schema}.query_trigrams(uuid, text)",
        f"DROP FUNCTION IF EXISTS {schema}.scoped_trigrams(uuid, text)",
    ]


def unfolding_statements(schema: str) -> list[str]:
    """The downgrade of ``folding_statements``: the function goes, the extensions stay (other
    schemas of the database may use them)."""
    return [f"DROP FUNCTION IF EXISTS {schema}.folded(text)"]


def folded(expression: ColumnElement[str], *, schema: str) -> ColumnElement[str]:
    """``expression`` lower-cased without accents, as ``schema``'s indexes store it."""
    return getattr(func, schema).folded(expression)  # type: ignore[no-any-return]


def _written(text: str) -> ColumnElement[str]:
    """A search's text written into the statement as a quoted literal when it is executed,
    not sent as a parameter: with a parameter, PostgreSQL plans a prepared statement once for
    any text after five executions, and that plan (made without knowing how many rows the
    text matches) was 20 times slower than the one for the text at hand (a quick-reply search
    over 10k replies, 1.4 ms then 27 ms). Each text is then planned for itself, as it was for
    the first five."""
    return literal(text, type_=String(), literal_execute=True)


def like_pattern(query: str) -> str:
    """The ``LIKE`` pattern that finds ``query`` anywhere, its wildcards taken literally."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(
    column: ColumnElement[str], query: str, *, schema: str, column_folded: bool = False
) -> ColumnElement[bool]:
    """``column`` holds ``query``, both folded (a trigram index on ``folded(column)`` serves
    it once the query has three characters); ``column_folded``: the column is folded text
    already (a stored generated column), indexed as it is."""
    pattern = folded(_written(like_pattern(query)), schema=schema)
    text = column if column_folded else folded(column, schema=schema)
    return text.like(pattern, escape="\\")


def starts_with(
    column: ColumnElement[str], query: str, *, schema: str, column_folded: bool = False
) -> ColumnElement[bool]:
    """``column`` begins with ``query``, both folded (a ``text_pattern_ops`` index on the
    folded column serves it); ``column_folded`` as for ``contains``."""
    pattern = folded(_written(like_pattern(query)[1:]), schema=schema)
    text = column if column_folded else folded(column, schema=schema)
    return text.like(pattern, escape="\\")


def scoped_contains(
    scope_column: ColumnElement[Any],
    column: ColumnElement[str],
    query: str,
    *,
    scope: Any,
    schema: str,
) -> ColumnElement[bool]:
    """``column`` holds ``query``, both folded, in the rows of ``scope`` (``scope_column`` is
    it), asked of a GIN index of ``<schema>.scoped_trigrams(scope_column, column)`` (written
    as the index writes it); see "Scoped to an account" above."""
    functions = getattr(func, schema)
    indexed = functions.scoped_trigrams(scope_column, column)
    wanted = functions.query_trigrams(literal(scope, type_=Uuid), _written(query))
    return and_(
        scope_column == scope,
        indexed.op("@>")(wanted),
        contains(column, query, schema=schema),
    )
