"""agent role: whom a team-wide quick reply reaches besides its teams

Revision ID: f7b2d4e8a611
Revises: e5a1c7d93b40
Create Date: 2026-12-09 00:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f7b2d4e8a611"
down_revision = "e5a1c7d93b40"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("agent", sa.Column("role", sa.String(length=16), nullable=True), schema="chat")


def downgrade() -> None:
    op.drop_column("agent", "role", schema="chat")
