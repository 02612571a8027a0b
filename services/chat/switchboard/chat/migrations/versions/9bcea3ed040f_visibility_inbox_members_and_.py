"""visibility: inbox members and invitations, visitor sessions

Revision ID: 9bcea3ed040f
Revises: d3fb5729d1a1
Create Date: 2026-12-02 14:30:52.962985
"""
from alembic import op
import sqlalchemy as sa


revision = '9bcea3ed040f'
down_revision = 'd3fb5729d1a1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('conversation_invitation',
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('agent_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('conversation_id', 'agent_id', name=op.f('pk_conversation_invitation')),
    schema='chat'
    )
    op.create_table('inbox_member',
    sa.Column('inbox_id', sa.Uuid(), nullable=False),
    sa.Column('agent_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('inbox_id', 'agent_id', name=op.f('pk_inbox_member')),
    schema='chat'
    )
    op.create_index('ix_inbox_member_agent', 'inbox_member', ['agent_id', 'inbox_id'], unique=False, schema='chat')
    op.add_column('visitor', sa.Column('session_version', sa.Integer(), server_default=sa.text('0'), nullable=False), schema='chat')
    op.add_column('visitor', sa.Column('session_changed_at', sa.DateTime(timezone=True), nullable=True), schema='chat')
    op.create_index(op.f('ix_visitor_session_changed_at'), 'visitor', ['session_changed_at'], unique=False, schema='chat')


def downgrade() -> None:
    op.drop_index(op.f('ix_visitor_session_changed_at'), table_name='visitor', schema='chat')
    op.drop_column('visitor', 'session_changed_at', schema='chat')
    op.drop_column('visitor', 'session_version', schema='chat')
    op.drop_index('ix_inbox_member_agent', table_name='inbox_member', schema='chat')
    op.drop_table('inbox_member', schema='chat')
    op.drop_table('conversation_invitation', schema='chat')
