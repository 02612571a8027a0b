"""agent profile: avatar, signature, muted notifications

Revision ID: 0ba37a11eec2
Revises: 0c9945709f06
Create Date: 2026-12-07 23:00:11.482365
"""
from alembic import op
import sqlalchemy as sa


revision = '0ba37a11eec2'
down_revision = '0c9945709f06'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('agent', sa.Column('avatar_url', sa.String(length=2000), nullable=True), schema='routing')
    op.add_column('agent', sa.Column('signature', sa.String(length=1000), nullable=True), schema='routing')
    op.add_column('agent', sa.Column('muted_notifications', sa.ARRAY(sa.String(length=40)), server_default=sa.text("'{}'"), nullable=False), schema='routing')


def downgrade() -> None:
    op.drop_column('agent', 'muted_notifications', schema='routing')
    op.drop_column('agent', 'signature', schema='routing')
    op.drop_column('agent', 'avatar_url', schema='routing')
