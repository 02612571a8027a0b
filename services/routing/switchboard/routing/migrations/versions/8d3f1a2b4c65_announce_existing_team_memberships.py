"""announce existing team memberships

Revision ID: 8d3f1a2b4c65
Revises: 0ba37a11eec2
Create Date: 2026-12-07 23:15:00

Chat keeps a projection of team memberships (who sees a team's quick replies) from
``team.member_added``, an event that did not exist before. Memberships made earlier are
announced once through routing's own outbox, which the sweeper publishes.
"""
from alembic import op


revision = '8d3f1a2b4c65'
down_revision = '0ba37a11eec2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        WITH announced AS (
            SELECT gen_random_uuid()::text AS event_id, account_id, team_id, agent_id
            FROM routing.team_member
        )
        INSERT INTO routing.outbox (id, payload, created_at)
        SELECT event_id,
               convert_to(json_build_object(
                   'id', event_id,
                   'type', 'team.member_added',
                   'version', 1,
                   'occurred_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                   'account_id', account_id::text,
                   'source', 'routing',
                   'key', team_id::text,
                   'audience', json_build_array('agent:' || agent_id::text, 'role:admin'),
                   'data', json_build_object('team_id', team_id::text, 'agent_id', agent_id::text),
                   'origin', NULL
               )::text, 'UTF8'),
               now() - interval '1 hour'
        FROM announced
        """
    )


def downgrade() -> None:
    pass
