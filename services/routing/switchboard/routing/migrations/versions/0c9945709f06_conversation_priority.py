"""conversation priority: the rank of chat's priority, which a queued row takes

Revision ID: 0c9945709f06
Revises: 5b1c0e7f2a93
Create Date: 2026-12-07 23:04:23.082109
"""
from alembic import op
import sqlalchemy as sa


revision = '0c9945709f06'
down_revision = '5b1c0e7f2a93'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('conversation', sa.Column('priority', sa.Integer(), server_default=sa.text('0'), nullable=False), schema='routing')


def downgrade() -> None:
    op.drop_column('conversation', 'priority', schema='routing')
