"""announce existing inbox memberships

Revision ID: 5b1c0e7f2a93
Revises: ee4021f40bcd
Create Date: 2026-12-02 15:00:00

Chat keeps a projection of inbox memberships (who sees which conversations) from
``inbox.member_added``, an event that did not exist before. Memberships made earlier are
announced once through routing's own outbox, which the sweeper publishes.
"""
from alembic import op


revision = '5b1c0e7f2a93'
down_revision = 'ee4021f40bcd'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        WITH announced AS (
            SELECT gen_random_uuid()::text AS event_id, account_id, inbox_id, agent_id
            FROM routing.inbox_member
        )
        INSERT INTO routing.outbox (id, payload, created_at)
        SELECT event_id,
               convert_to(json_build_object(
                   'id', event_id,
                   'type', 'inbox.member_added',
                   'version', 1,
                   'occurred_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                   'account_id', account_id::text,
                   'source', 'routing',
                   'key', inbox_id::text,
                   'audience', json_build_array('agent:' || agent_id::text, 'role:admin'),
                   'data', json_build_object('inbox_id', inbox_id::text, 'agent_id', agent_id::text),
                   'origin', NULL
               )::text, 'UTF8'),
               now() - interval '1 hour'
        FROM announced
        """
    )


def downgrade() -> None:
    pass
