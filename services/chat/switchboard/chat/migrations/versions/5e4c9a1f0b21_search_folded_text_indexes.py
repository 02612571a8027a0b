"""search: folded text (accent-insensitive) and trigram indexes on messages and visitors

Revision ID: 5e4c9a1f0b21
Revises: 9bcea3ed040f
Create Date: 2026-12-07 23:20:00
"""

from alembic import op

from switchboard.core.search import folding_statements, unfolding_statements

revision = "5e4c9a1f0b21"
down_revision = "9bcea3ed040f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in folding_statements("chat"):
        op.execute(statement)
    op.execute(
        "CREATE INDEX ix_message_content_folded ON chat.message"
        " USING gin (account_id, chat.folded(content) public.gin_trgm_ops)"
    )
    op.execute(
        "CREATE INDEX ix_visitor_contact_folded ON chat.visitor USING gin"
        " (account_id, chat.folded(coalesce(name, '') || ' ' || coalesce(email, '') || ' '"
        " || coalesce(phone, '')) public.gin_trgm_ops)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX chat.ix_visitor_contact_folded")
    op.execute("DROP INDEX chat.ix_message_content_folded")
    for statement in unfolding_statements("chat"):
        op.execute(statement)
