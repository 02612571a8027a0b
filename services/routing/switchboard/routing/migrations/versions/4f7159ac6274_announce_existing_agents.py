"""announce existing agents

Revision ID: 4f7159ac6274
Revises: 8d3f1a2b4c65
Create Date: 2026-12-09 01:00:00

Chat now keeps each agent's role and whether he is still active (its ``agent.role`` and
``agent.active``), read from ``agent.created`` / ``agent.updated``. Agents chat heard of
earlier have no role there and count as active until routing speaks of them again, so a
deactivated agent could still be mentioned and a role-less one would see every quick reply.
Every agent is announced once, as the ``agent.updated`` routing publishes
(``service.events.agent_updated``: his entry as it stands, with nothing in ``changed``),
through routing's own outbox, which the sweeper publishes.
"""
from alembic import op


revision = '4f7159ac6274'
down_revision = '8d3f1a2b4c65'
branch_labels = None
depends_on = None

# The kinds of notification of this revision (switchboard.contracts NotificationKind), in the
# order of NotificationPreferences: each on unless the agent muted it.
NOTIFICATION_KINDS = (
    'mention', 'assigned', 'transfer', 'invitation', 'sla_near_breach', 'sla_breached'
)
NOTIFICATIONS = ', '.join(
    f"'{kind}', NOT ('{kind}' = ANY (muted_notifications))" for kind in NOTIFICATION_KINDS
)

ANNOUNCE_AGENTS = f"""
    WITH announced AS (
        SELECT gen_random_uuid()::text AS event_id, agent.*
        FROM routing.agent
    )
    INSERT INTO routing.outbox (id, payload, created_at)
    SELECT event_id,
           convert_to(json_build_object(
               'id', event_id,
               'type', 'agent.updated',
               'version', 1,
               'occurred_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'account_id', account_id::text,
               'source', 'routing',
               'key', id::text,
               'audience', json_build_array('agent:' || id::text, 'role:admin'),
               'data', json_build_object(
                   'agent_id', id::text,
                   'name', name,
                   'email', email,
                   'role', role,
                   'active', active,
                   'capacity', capacity,
                   'changed', json_build_array(),
                   'avatar_url', avatar_url,
                   'signature', signature,
                   'notifications', json_build_object({NOTIFICATIONS})
               ),
               'origin', NULL
           )::text, 'UTF8'),
           now() - interval '1 hour'
    FROM announced
"""


def upgrade() -> None:
    op.execute(ANNOUNCE_AGENTS)


def downgrade() -> None:
    pass
