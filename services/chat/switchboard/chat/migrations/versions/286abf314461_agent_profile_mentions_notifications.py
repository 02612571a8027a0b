"""agent profile, mentions, notifications

Revision ID: 286abf314461
Revises: 5052704d2e7f
Create Date: 2026-12-07 23:03:13.392050
"""
from alembic import op
import sqlalchemy as sa


revision = '286abf314461'
down_revision = '5052704d2e7f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('conversation_mention',
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('agent_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('mentioned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['chat.conversation.id'], name=op.f('fk_conversation_mention_conversation_id_conversation')),
    sa.PrimaryKeyConstraint('conversation_id', 'agent_id', name=op.f('pk_conversation_mention')),
    schema='chat'
    )
    op.create_index('ix_conversation_mention_agent', 'conversation_mention', ['agent_id', 'conversation_id'], unique=False, schema='chat')
    op.create_table('notification',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('agent_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('message_id', sa.Uuid(), nullable=True),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('mention', 'assigned', 'transfer', 'invitation', 'sla_near_breach', 'sla_breached')", name=op.f('ck_notification_kind_known')),
    sa.ForeignKeyConstraint(['conversation_id'], ['chat.conversation.id'], name=op.f('fk_notification_conversation_id_conversation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    schema='chat'
    )
    op.create_index('ix_notification_agent_created', 'notification', ['account_id', 'agent_id', 'created_at', 'id'], unique=False, schema='chat')
    op.create_index('ix_notification_agent_unread', 'notification', ['account_id', 'agent_id'], unique=False, schema='chat', postgresql_where=sa.text('read_at IS NULL'))
    op.add_column('agent', sa.Column('signature', sa.String(length=1000), nullable=True), schema='chat')
    op.add_column('agent', sa.Column('muted_notifications', sa.ARRAY(sa.String(length=40)), server_default=sa.text("'{}'"), nullable=False), schema='chat')
    op.add_column('message', sa.Column('mentions', sa.ARRAY(sa.Uuid()), server_default=sa.text("'{}'"), nullable=False), schema='chat')


def downgrade() -> None:
    op.drop_column('message', 'mentions', schema='chat')
    op.drop_column('agent', 'muted_notifications', schema='chat')
    op.drop_column('agent', 'signature', schema='chat')
    op.drop_index('ix_notification_agent_unread', table_name='notification', schema='chat', postgresql_where=sa.text('read_at IS NULL'))
    op.drop_index('ix_notification_agent_created', table_name='notification', schema='chat')
    op.drop_table('notification', schema='chat')
    op.drop_index('ix_conversation_mention_agent', table_name='conversation_mention', schema='chat')
    op.drop_table('conversation_mention', schema='chat')
