"""agent active: whether routing still has him (deactivated agents are not mentioned)

Revision ID: e5a1c7d93b40
Revises: c41f0e7a9d2b
Create Date: 2026-12-09 00:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e5a1c7d93b40"
down_revision = "c41f0e7a9d2b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "agent",
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        schema="chat",
    )


def downgrade() -> None:
    op.drop_column("agent", "active", schema="chat")
