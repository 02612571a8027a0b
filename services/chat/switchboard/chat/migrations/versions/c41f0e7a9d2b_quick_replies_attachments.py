"""quick replies' attachments

Revision ID: c41f0e7a9d2b
Revises: c3d9a7e1f5b2
Create Date: 2026-12-08 00:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'c41f0e7a9d2b'
down_revision = 'c3d9a7e1f5b2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('canned_response_attachment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('canned_response_id', sa.Uuid(), nullable=False),
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
    sa.CheckConstraint("kind IN ('image', 'video', 'audio', 'file')", name=op.f('ck_canned_response_attachment_kind_known')),
    sa.ForeignKeyConstraint(['canned_response_id'], ['chat.canned_response.id'], name=op.f('fk_canned_response_attachment_canned_response_id_canned_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canned_response_attachment')),
    schema='chat'
    )
    op.create_index('ix_canned_response_attachment_response', 'canned_response_attachment', ['canned_response_id', 'created_at', 'id'], unique=False, schema='chat')


def downgrade() -> None:
    op.drop_index('ix_canned_response_attachment_response', table_name='canned_response_attachment', schema='chat')
    op.drop_table('canned_response_attachment', schema='chat')
