"""conversation account dependencies statistics

Revision ID: d3fb5729d1a1
Revises: 9aae2891f68d
Create Date: 2026-11-30 01:10:33.906124

An assignee and an inbox each belong to one account, but the planner multiplies the
selectivities of ``account_id = ?`` and ``assignee_id = ?`` as if independent: at 1M
conversations over 50 accounts it expected 28 rows of an agent's list instead of ~1,500, took a
bitmap scan of all of them plus a sort (3.7 ms, growing with the agent's history) over the
backward scan of ix_conversation_account_assignee_activity that stops after one page (0.05
ms). Functional-dependency statistics tell it; the next ANALYZE (autovacuum) fills them.
"""
from alembic import op


revision = 'd3fb5729d1a1'
down_revision = '9aae2891f68d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE STATISTICS chat.st_conversation_account_dependencies (dependencies)"
        " ON account_id, inbox_id, assignee_id FROM chat.conversation"
    )


def downgrade() -> None:
    op.execute("DROP STATISTICS chat.st_conversation_account_dependencies")
