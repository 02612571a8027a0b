"""Accent-insensitive search: "huyen" finds "Huyền", "xin chao" finds "xin chào".

Text is compared *folded*: lower case with its accents taken off by PostgreSQL's ``unaccent``
(Vietnamese "Đặng" folds to "dang"). ``unaccent`` is not ``IMMUTABLE``, so it cannot stand in
an index; each schema that searches gets its own immutable ``<schema>.folded(text)``, and
its indexes (GIN on the account and ``pg_trgm``'s ``gin_trgm_ops`` of the folded text, which
serves ``account_id = ... AND folded(...) LIKE '%...%'``) and its queries write the same
expression, which is what lets PostgreSQL use the index.

A migration creates the extensions and the function with ``folding_statements(schema)``
(and drops the function with ``unfolding_statements(schema)``); a store writes
``contains(column, query, schema=...)``. The extensions are trusted since PostgreSQL 13: a role
that may create in the database may create them.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, literal

__all__ = [
    "contains",
    "folded",
    "folding_statements",
    "like_pattern",
    "starts_with",
    "unfolding_statements",
]

# btree_gin lets one GIN index hold the account beside the trigrams: a search reads only its
# own account's posting lists, not every account's.
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


def unfolding_statements(schema: str) -> list[str]:
    """The downgrade of ``folding_statements``: the function goes, the extensions stay (other
    schemas of the database may use them)."""
    return [f"DROP FUNCTION IF EXISTS {schema}.folded(text)"]


def folded(expression: ColumnElement[str], *, schema: str) -> ColumnElement[str]:
    """``expression`` lower-cased without accents, as ``schema``'s indexes store it."""
    return getattr(func, schema).folded(expression)  # type: ignore[no-any-return]


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
    pattern = folded(literal(like_pattern(query)), schema=schema)
    text = column if column_folded else folded(column, schema=schema)
    return text.like(pattern, escape="\\")


def starts_with(
    column: ColumnElement[str], query: str, *, schema: str, column_folded: bool = False
) -> ColumnElement[bool]:
    """``column`` begins with ``query``, both folded (a ``text_pattern_ops`` index on the
    folded column serves it); ``column_folded`` as for ``contains``."""
    pattern = folded(literal(like_pattern(query)[1:]), schema=schema)
    text = column if column_folded else folded(column, schema=schema)
    return text.like(pattern, escape="\\")
