"""quick replies: canned responses, their teams, team members

The search reads the shortcut and the title and content folded once, when written (stored
generated columns of ``chat.folded``, from ``5e4c9a1f0b21``), each with its index: a prefix
of the shortcut (``text_pattern_ops``), trigrams of the text.

Revision ID: b7e9be68ee3c
Revises: 27602246810d
Create Date: 2026-12-07 23:12:12.298497
"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e9be68ee3c'
down_revision = '27602246810d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('canned_response',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('shortcut', sa.String(length=32, collation='C'), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('shortcut_folded', sa.Text(), sa.Computed('chat.folded(shortcut)', persisted=True), nullable=False),
    sa.Column('text_folded', sa.Text(), sa.Computed("chat.folded(title || ' ' || content)", persisted=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("visibility IN ('account', 'team', 'personal')", name=op.f('ck_canned_response_visibility_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canned_response')),
    sa.UniqueConstraint('account_id', 'shortcut', name='uq_canned_response_account_shortcut'),
    schema='chat'
    )
    op.create_index('ix_canned_response_owner', 'canned_response', ['account_id', 'owner_id'], unique=False, schema='chat')
    op.create_table('team_member',
    sa.Column('team_id', sa.Uuid(), nullable=False),
    sa.Column('agent_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'agent_id', name=op.f('pk_team_member')),
    schema='chat'
    )
    op.create_index('ix_team_member_agent', 'team_member', ['agent_id', 'team_id'], unique=False, schema='chat')
    op.create_table('canned_response_team',
    sa.Column('canned_response_id', sa.Uuid(), nullable=False),
    sa.Column('team_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['canned_response_id'], ['chat.canned_response.id'], name=op.f('fk_canned_response_team_canned_response_id_canned_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('canned_response_id', 'team_id', name=op.f('pk_canned_response_team')),
    schema='chat'
    )
    op.create_index('ix_canned_response_team_team', 'canned_response_team', ['team_id', 'canned_response_id'], unique=False, schema='chat')
    op.create_index('ix_canned_response_shortcut_folded', 'canned_response', ['account_id', 'shortcut_folded'], unique=False, schema='chat', postgresql_ops={'shortcut_folded': 'text_pattern_ops'})
    op.create_index('ix_canned_response_text_folded', 'canned_response', ['text_folded'], unique=False, schema='chat', postgresql_using='gin', postgresql_ops={'text_folded': 'gin_trgm_ops'})


def downgrade() -> None:
    op.drop_index('ix_canned_response_text_folded', table_name='canned_response', schema='chat', postgresql_using='gin', postgresql_ops={'text_folded': 'gin_trgm_ops'})
    op.drop_index('ix_canned_response_shortcut_folded', table_name='canned_response', schema='chat', postgresql_ops={'shortcut_folded': 'text_pattern_ops'})
    op.drop_index('ix_canned_response_team_team', table_name='canned_response_team', schema='chat')
    op.drop_table('canned_response_team', schema='chat')
    op.drop_index('ix_team_member_agent', table_name='team_member', schema='chat')
    op.drop_table('team_member', schema='chat')
    op.drop_index('ix_canned_response_owner', table_name='canned_response', schema='chat')
    op.drop_table('canned_response', schema='chat')
