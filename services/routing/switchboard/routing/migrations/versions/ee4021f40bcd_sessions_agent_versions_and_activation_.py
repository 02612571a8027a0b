"""sessions: agent versions and activation, refresh token families

Revision ID: ee4021f40bcd
Revises: cac214cac125
Create Date: 2026-12-02 14:29:25.476749

A refresh token issued before this revision starts a family of its own.
"""
from alembic import op
import sqlalchemy as sa


revision = 'ee4021f40bcd'
down_revision = 'cac214cac125'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('agent', sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False), schema='routing')
    op.add_column('agent', sa.Column('session_version', sa.Integer(), server_default=sa.text('0'), nullable=False), schema='routing')
    op.add_column('agent', sa.Column('session_changed_at', sa.DateTime(timezone=True), nullable=True), schema='routing')
    op.create_index('ix_agent_session_changed_at', 'agent', ['session_changed_at'], unique=False, schema='routing', postgresql_where=sa.text('session_changed_at IS NOT NULL'))
    op.add_column('refresh_token', sa.Column('family_id', sa.String(length=64), nullable=True), schema='routing')
    op.execute("UPDATE routing.refresh_token SET family_id = id")
    op.alter_column('refresh_token', 'family_id', nullable=False, schema='routing')
    op.add_column('refresh_token', sa.Column('spent_at', sa.DateTime(timezone=True), nullable=True), schema='routing')
    op.create_index(op.f('ix_refresh_token_family_id'), 'refresh_token', ['family_id'], unique=False, schema='routing')
    op.create_table('revoked_family',
    sa.Column('family_id', sa.String(length=64), nullable=False),
    sa.Column('agent_id', sa.Uuid(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['routing.agent.id'], name=op.f('fk_revoked_family_agent_id_agent'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('family_id', name=op.f('pk_revoked_family')),
    schema='routing'
    )
    op.create_index(op.f('ix_revoked_family_revoked_at'), 'revoked_family', ['revoked_at'], unique=False, schema='routing')


def downgrade() -> None:
    op.drop_index(op.f('ix_revoked_family_revoked_at'), table_name='revoked_family', schema='routing')
    op.drop_table('revoked_family', schema='routing')
    op.drop_index(op.f('ix_refresh_token_family_id'), table_name='refresh_token', schema='routing')
    op.drop_column('refresh_token', 'spent_at', schema='routing')
    op.drop_column('refresh_token', 'family_id', schema='routing')
    op.drop_index('ix_agent_session_changed_at', table_name='agent', schema='routing', postgresql_where=sa.text('session_changed_at IS NOT NULL'))
    op.drop_column('agent', 'session_changed_at', schema='routing')
    op.drop_column('agent', 'session_version', schema='routing')
    op.drop_column('agent', 'active', schema='routing')
