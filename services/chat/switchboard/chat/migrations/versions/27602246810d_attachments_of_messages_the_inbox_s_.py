"""attachments of messages, the inbox's attachment limit

Revision ID: 27602246810d
Revises: 286abf314461
Create Date: 2026-12-07 23:01:48.919338
"""
from alembic import op
import sqlalchemy as sa


revision = '27602246810d'
down_revision = '286abf314461'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('visitor_id', sa.Uuid(), nullable=False),
    sa.Column('message_id', sa.Uuid(), nullable=True),
    sa.Column('uploader_type', sa.String(length=16), nullable=False),
    sa.Column('uploader_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('thumbnail_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('image', 'video', 'audio', 'file')", name=op.f('ck_attachment_kind_known')),
    sa.CheckConstraint("uploader_type IN ('visitor', 'agent')", name=op.f('ck_attachment_uploader_type_known')),
    sa.ForeignKeyConstraint(['conversation_id'], ['chat.conversation.id'], name=op.f('fk_attachment_conversation_id_conversation')),
    sa.ForeignKeyConstraint(['message_id'], ['chat.message.id'], name=op.f('fk_attachment_message_id_message')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    schema='chat'
    )
    op.create_index('ix_attachment_conversation_created', 'attachment', ['conversation_id', 'created_at', 'id'], unique=False, schema='chat')
    op.create_index('ix_attachment_message', 'attachment', ['message_id'], unique=False, schema='chat')
    op.create_index('ix_attachment_unsent', 'attachment', ['created_at'], unique=False, schema='chat', postgresql_where=sa.text('message_id IS NULL'))
    op.create_index('ix_attachment_visitor_created', 'attachment', ['visitor_id', 'created_at', 'id'], unique=False, schema='chat')
    op.add_column('inbox', sa.Column('attachment_max_bytes', sa.BigInteger(), nullable=True), schema='chat')


def downgrade() -> None:
    op.drop_column('inbox', 'attachment_max_bytes', schema='chat')
    op.drop_index('ix_attachment_visitor_created', table_name='attachment', schema='chat')
    op.drop_index('ix_attachment_unsent', table_name='attachment', schema='chat', postgresql_where=sa.text('message_id IS NULL'))
    op.drop_index('ix_attachment_message', table_name='attachment', schema='chat')
    op.drop_index('ix_attachment_conversation_created', table_name='attachment', schema='chat')
    op.drop_table('attachment', schema='chat')
