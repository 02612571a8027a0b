"""search: trigram indexes of messages and visitors scoped to the account

Revision ID: b2d6e8f0a4c1
Revises: a8c3e5f71d92
Create Date: 2026-12-08 02:40:00

The indexes of 5e4c9a1f0b21 held the account beside the trigrams, but a GIN index's postings
are the whole table's: a search read every account's rows of each of its trigrams (names and
common words are in most rows). These hold one posting list per account and trigram (see
``switchboard.core.search``). Lists by creation time get their own indexes.
"""

from alembic import op

from switchboard.core.search import scoping_statements, unscoping_statements

revision = "b2d6e8f0a4c1"
down_revision = "a8c3e5f71d92"
branch_labels = None
depends_on = None

_CONTACT = "coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '')"


def upgrade() -> None:
    for statement in scoping_statements("chat"):
        op.execute(statement)
    op.execute("DROP INDEX chat.ix_message_content_folded")
    op.execute("DROP INDEX chat.ix_visitor_contact_folded")
    op.execute(
        "CREATE INDEX ix_message_content_scoped ON chat.message"
        " USING gin (chat.scoped_trigrams(account_id, content))"
    )
    op.execute(
        "CREATE INDEX ix_visitor_contact_scoped ON chat.visitor"
        f" USING gin (chat.scoped_trigrams(account_id, {_CONTACT}))"
    )
    op.create_index(
        "ix_conversation_account_created",
        "conversation",
        ["account_id", "created_at", "id"],
        schema="chat",
    )
    op.create_index(
        "ix_conversation_account_status_created",
        "conversation",
        ["account_id", "status", "created_at", "id"],
        schema="chat",
    )


def downgrade() -> None:
    op.drop_index("ix_conversation_account_status_created", "conversation", schema="chat")
    op.drop_index("ix_conversation_account_created", "conversation", schema="chat")
    op.execute("DROP INDEX chat.ix_visitor_contact_scoped")
    op.execute("DROP INDEX chat.ix_message_content_scoped")
    op.execute(
        "CREATE INDEX ix_message_content_folded ON chat.message"
        " USING gin (account_id, chat.folded(content) public.gin_trgm_ops)"
    )
    op.execute(
        "CREATE INDEX ix_visitor_contact_folded ON chat.visitor"
        f" USING gin (account_id, chat.folded({_CONTACT}) public.gin_trgm_ops)"
    )
    for statement in unscoping_statements("chat"):
        op.execute(statement)
