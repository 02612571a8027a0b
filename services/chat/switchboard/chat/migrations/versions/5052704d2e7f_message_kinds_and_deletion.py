"""message kinds and deletion

Revision ID: 5052704d2e7f
Revises: 4adbd844ea4c
Create Date: 2026-12-07 23:02:38.485728

A message has a kind (text by default, so every stored message stays a text) and a JSONB
payload for the structured kinds; a deleted one keeps its row, without content or payload.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '5052704d2e7f'
down_revision = '4adbd844ea4c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('message', sa.Column('kind', sa.String(length=16), server_default='text', nullable=False), schema='chat')
    op.add_column('message', sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=True), schema='chat')
    op.add_column('message', sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True), schema='chat')
    op.create_check_constraint(
        op.f('ck_message_kind_known'),
        'message',
        "kind IN ('text', 'card', 'product', 'voucher', 'order', 'location')",
        schema='chat',
    )
    op.create_check_constraint(
        op.f('ck_message_payload_of_kind'),
        'message',
        "deleted_at IS NOT NULL OR (kind = 'text') = (payload IS NULL)",
        schema='chat',
    )


def downgrade() -> None:
    op.drop_constraint(op.f('ck_message_payload_of_kind'), 'message', schema='chat')
    op.drop_constraint(op.f('ck_message_kind_known'), 'message', schema='chat')
    op.drop_column('message', 'deleted_at', schema='chat')
    op.drop_column('message', 'payload', schema='chat')
    op.drop_column('message', 'kind', schema='chat')
