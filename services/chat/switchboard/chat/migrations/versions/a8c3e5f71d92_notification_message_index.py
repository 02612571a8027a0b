"""notification message index: a deleted note's mention notifications go with it

Revision ID: a8c3e5f71d92
Revises: f7b2d4e8a611
Create Date: 2026-12-09 00:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a8c3e5f71d92"
down_revision = "f7b2d4e8a611"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_notification_message",
        "notification",
        ["message_id"],
        unique=False,
        schema="chat",
        postgresql_where=sa.text("message_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_notification_message",
        table_name="notification",
        schema="chat",
        postgresql_where=sa.text("message_id IS NOT NULL"),
    )
