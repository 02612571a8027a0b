"""The migration that announces every existing agent once (revision 4f7159ac6274): each one's
``agent.updated`` in routing's outbox is the event routing's own code publishes for him, and
chat, whose agents were heard of before it kept roles and deactivations, takes both from it.

The migration runs in a transaction rolled back at the end: the test database is shared, and
the announcements of other tests' agents must not reach their streams. Chat's handler is
imported on purpose: the announcement exists for chat's projection alone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from types import ModuleType
from uuid import UUID

import pytest_asyncio
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, select

from switchboard.chat.events.handlers import handlers as chat_handlers
from switchboard.chat.store import agents as chat_agents
from switchboard.chat.store.models import Agent as ChatAgent
from switchboard.chat.store.models import Base as ChatBase
from switchboard.contracts.routing import AgentUpdated
from switchboard.core.auth import Role
from switchboard.core.events import Envelope, utcnow
from switchboard.core.migrations import alembic_config
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.settings import Settings
from switchboard.routing.service import events
from switchboard.routing.store.models import Agent, Base

ANNOUNCEMENT = "4f7159ac6274"
MUTED = ["transfer", "sla_breached"]
ENVELOPE_OF_ITS_OWN = {"id", "occurred_at"}


def _migration() -> ModuleType:
    config = alembic_config("switchboard.routing.migrations", "postgresql://")
    revision = ScriptDirectory.from_config(config).get_revision(ANNOUNCEMENT)
    assert revision is not None and revision.down_revision == "8d3f1a2b4c65"
    return revision.module


async def _announced(runtime: DatabaseRuntime, account_id: UUID) -> dict[UUID, Envelope]:
    """The migration's outbox rows for the account's agents, by agent (rolled back after)."""
    migration = _migration()

    def upgrade(connection: Connection) -> None:
        with Operations.context(MigrationContext.configure(connection)):
            migration.upgrade()

    outbox = Base.metadata.tables["routing.outbox"]
    swept_after = timedelta(seconds=runtime.settings.outbox_sweep_min_age_seconds)
    async with runtime.db.engine.connect() as connection:
        await connection.run_sync(upgrade)
        rows = (await connection.execute(select(outbox))).all()
        await connection.rollback()
    announced: dict[UUID, Envelope] = {}
    for row in rows:
        envelope = Envelope.decode(row.payload)
        if envelope.type == "agent.updated" and envelope.account_id == str(account_id):
            assert row.id == envelope.id
            assert row.created_at < utcnow() - swept_after  # the sweeper's next round takes it
            announced[UUID(envelope.key)] = envelope
    return announced


async def _deactivated_supervisor(routing_kit, account_id: UUID) -> UUID:
    """A supervisor with a capacity and a profile of his own, deactivated since."""
    leaver = await routing_kit.new_agent(account_id, role=Role.supervisor, name="Lan")
    async with routing_kit.runtime.work() as work:
        agent = await work.session.get(Agent, leaver.id)
        assert agent is not None
        agent.active = False
        agent.capacity = 3
        agent.avatar_url = "https://cdn.example.com/lan.png"
        agent.signature = "Lan, Acme support"
        agent.muted_notifications = list(MUTED)
    return leaver.id


async def _as_routing_publishes(runtime: DatabaseRuntime, agent_id: UUID) -> Envelope:
    async with runtime.db.session() as session:
        agent = await session.get(Agent, agent_id)
        assert agent is not None
        return events.agent_updated(agent, [])


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def chat_runtime(sb_settings: Settings) -> AsyncIterator[DatabaseRuntime]:
    runtime = DatabaseRuntime("chat", sb_settings, ChatBase.metadata)
    yield runtime
    await runtime.close()


class TestEveryAgentIsAnnounced:
    async def test_once_each_as_routing_publishes_agent_updated(self, routing_kit):
        admin = await routing_kit.new_account()
        leaver_id = await _deactivated_supervisor(routing_kit, admin.account_id)

        announced = await _announced(routing_kit.runtime, admin.account_id)

        assert set(announced) == {admin.id, leaver_id}
        for agent_id, envelope in announced.items():
            published = await _as_routing_publishes(routing_kit.runtime, agent_id)
            assert envelope.model_dump(exclude=ENVELOPE_OF_ITS_OWN) == published.model_dump(
                exclude=ENVELOPE_OF_ITS_OWN
            )
            assert envelope.audience == [f"agent:{agent_id}", "role:admin"]
        ada = announced[admin.id].payload(AgentUpdated)
        assert (ada.role, ada.active, ada.changed) == (Role.admin, True, [])
        assert ada.notifications.muted() == []
        lan = announced[leaver_id].payload(AgentUpdated)
        assert (lan.role, lan.active, lan.capacity) == (Role.supervisor, False, 3)
        assert (lan.avatar_url, lan.signature) == (
            "https://cdn.example.com/lan.png",
            "Lan, Acme support",
        )
        assert lan.notifications.muted() == MUTED

    async def test_chat_learns_each_ones_role_and_who_was_deactivated(
        self, routing_kit, chat_runtime
    ):
        admin = await routing_kit.new_account()
        leaver_id = await _deactivated_supervisor(routing_kit, admin.account_id)
        account_id = admin.account_id
        async with chat_runtime.work() as work:  # as chat knew them before it kept more
            for agent_id, name in ((admin.id, "Ada Admin"), (leaver_id, "Lan")):
                await chat_agents.upsert(
                    work.session,
                    agent_id=agent_id,
                    account_id=account_id,
                    name=name,
                    email=None,
                    at=utcnow(),
                )
        async with chat_runtime.db.session() as session:
            assert await chat_agents.roles(session, account_id) == {admin.id: None, leaver_id: None}

        handle = chat_handlers.handler(chat_runtime)
        for envelope in (await _announced(routing_kit.runtime, account_id)).values():
            await handle(envelope)

        async with chat_runtime.db.session() as session:
            known = await session.execute(
                select(ChatAgent.id, ChatAgent.role, ChatAgent.active, ChatAgent.signature)
                .where(ChatAgent.account_id == account_id)
                .order_by(ChatAgent.name)
            )
            assert known.all() == [
                (admin.id, "admin", True, None),
                (leaver_id, "supervisor", False, "Lan, Acme support"),
            ]
            mentionable = await chat_agents.known(session, account_id, [admin.id, leaver_id])
            assert mentionable == {admin.id}
            assert await chat_agents.roles(session, account_id) == {admin.id: "admin"}
