"""conversation team: the team routing sent it to

Revision ID: c3d9a7e1f5b2
Revises: b7e9be68ee3c
Create Date: 2026-12-08 00:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c3d9a7e1f5b2"
down_revision = "b7e9be68ee3c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("conversation", sa.Column("team_id", sa.Uuid(), nullable=True), schema="chat")


def downgrade() -> None:
    op.drop_column("conversation", "team_id", schema="chat")
