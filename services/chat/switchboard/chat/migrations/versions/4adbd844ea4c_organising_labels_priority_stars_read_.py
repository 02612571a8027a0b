"""organising: labels, priority, stars, read positions, waiting since

Revision ID: 4adbd844ea4c
Revises: 5e4c9a1f0b21
Create Date: 2026-12-07 23:00:25.637195
"""
from alembic import op
import sqlalchemy as sa


revision = '4adbd844ea4c'
down_revision = '5e4c9a1f0b21'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('label',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('colour', sa.String(length=7), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("colour ~ '^#[0-9a-f]{6}$'", name=op.f('ck_label_colour_hex')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_label')),
    sa.UniqueConstraint('account_id', 'name', name='uq_label_account_name'),
    schema='chat'
    )
    op.create_index('ix_label_account_created', 'label', ['account_id', 'created_at', 'id'], unique=False, schema='chat')
    op.create_table('conversation_label',
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('label_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['chat.conversation.id'], name=op.f('fk_conversation_label_conversation_id_conversation')),
    sa.ForeignKeyConstraint(['label_id'], ['chat.label.id'], name=op.f('fk_conversation_label_label_id_label'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id', 'label_id', name=op.f('pk_conversation_label')),
    schema='chat'
    )
    op.create_index('ix_conversation_label_account_label', 'conversation_label', ['account_id', 'label_id', 'conversation_id'], unique=False, schema='chat')
    op.create_table('conversation_star',
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('agent_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('starred_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['chat.conversation.id'], name=op.f('fk_conversation_star_conversation_id_conversation')),
    sa.PrimaryKeyConstraint('conversation_id', 'agent_id', name=op.f('pk_conversation_star')),
    schema='chat'
    )
    op.create_index('ix_conversation_star_account_agent', 'conversation_star', ['account_id', 'agent_id', 'conversation_id'], unique=False, schema='chat')
    op.create_table('read_position',
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('reader_type', sa.String(length=16), nullable=False),
    sa.Column('reader_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('last_read_message_id', sa.Uuid(), nullable=False),
    sa.Column('last_read_message_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("reader_type IN ('agent', 'visitor')", name=op.f('ck_read_position_reader_type_known')),
    sa.ForeignKeyConstraint(['conversation_id'], ['chat.conversation.id'], name=op.f('fk_read_position_conversation_id_conversation')),
    sa.ForeignKeyConstraint(['last_read_message_id'], ['chat.message.id'], name=op.f('fk_read_position_last_read_message_id_message')),
    sa.PrimaryKeyConstraint('conversation_id', 'reader_type', 'reader_id', name=op.f('pk_read_position')),
    schema='chat'
    )
    op.create_index('ix_read_position_account_reader', 'read_position', ['account_id', 'reader_id', 'conversation_id'], unique=False, schema='chat')
    op.add_column('conversation', sa.Column('priority', sa.String(length=16), server_default='none', nullable=False), schema='chat')
    op.add_column('conversation', sa.Column('waiting_since', sa.DateTime(timezone=True), nullable=True), schema='chat')
    op.create_check_constraint(op.f('ck_conversation_priority_known'), 'conversation', "priority IN ('none', 'low', 'medium', 'high', 'urgent')", schema='chat')
    op.create_index('ix_conversation_account_waiting_since', 'conversation', ['account_id', 'waiting_since'], unique=False, schema='chat', postgresql_where=sa.text('waiting_since IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_conversation_account_waiting_since', table_name='conversation', schema='chat', postgresql_where=sa.text('waiting_since IS NOT NULL'))
    op.drop_constraint(op.f('ck_conversation_priority_known'), 'conversation', type_='check', schema='chat')
    op.drop_column('conversation', 'waiting_since', schema='chat')
    op.drop_column('conversation', 'priority', schema='chat')
    op.drop_index('ix_read_position_account_reader', table_name='read_position', schema='chat')
    op.drop_table('read_position', schema='chat')
    op.drop_index('ix_conversation_star_account_agent', table_name='conversation_star', schema='chat')
    op.drop_table('conversation_star', schema='chat')
    op.drop_index('ix_conversation_label_account_label', table_name='conversation_label', schema='chat')
    op.drop_table('conversation_label', schema='chat')
    op.drop_index('ix_label_account_created', table_name='label', schema='chat')
    op.drop_table('label', schema='chat')
