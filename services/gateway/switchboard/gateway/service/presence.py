"""Agent presence in Redis: one hash per agent (connection id -> {away, seen}).

``{prefix}:presence:online`` holds the agents last announced online (agent id -> account id).
Changing it with HSETNX / HDEL makes exactly one gateway instance announce each transition.
"""

from __future__ import annotations

import asyncio
import time

import structlog
from redis.asyncio import Redis

from switchboard.contracts.gateway import PresenceChanged
from switchboard.core.bus import Bus
from switchboard.core.events import Audience, Envelope
from switchboard.core.loops import one_round
from switchboard.core.settings import Settings
from switchboard.gateway.domain.presence import (
    LIVE_HEARTBEATS,
    ConnectionPresence,
    PresenceSummary,
    decode_presence,
    encode_presence,
    is_live,
    summarize,
    transition,
)
from switchboard.gateway.service.connection import Connection
from switchboard.gateway.service.hub import Hub

__all__ = ["PresenceTracker"]

log = structlog.get_logger(__name__)


class PresenceTracker:
    def __init__(self, bus: Bus, settings: Settings, hub: Hub) -> None:
        self.bus = bus
        self.redis: Redis = bus.redis
        self.hub = hub
        self.heartbeat = settings.presence_heartbeat_seconds
        self.grace = settings.presence_grace_seconds
        self._online_key = bus.key("presence:online")
        self._pending: set[asyncio.Task[None]] = set()

    def _key(self, agent_id: str) -> str:
        return self.bus.key(f"presence:agent:{agent_id}")

    def _grace_key(self, agent_id: str) -> str:
        return self.bus.key(f"presence:grace:{agent_id}")

    @property
    def _ttl_seconds(self) -> int:
        return int(LIVE_HEARTBEATS * self.heartbeat + self.grace) + 5

    async def _write(self, connection: Connection) -> None:
        key = self._key(connection.principal_id)
        value = encode_presence(ConnectionPresence(away=connection.away, seen=time.time()))
        async with self.redis.pipeline(transaction=False) as pipe:
            # redis-py annotates a field's value as str; it sends bytes as they are.
            pipe.hset(key, connection.id, value)  # type: ignore[arg-type]
            pipe.expire(key, self._ttl_seconds)
            await pipe.execute()

    async def connected(self, connection: Connection) -> PresenceSummary:
        await self._write(connection)
        return await self.evaluate(connection.principal_id, connection.account_id)

    async def away_changed(self, connection: Connection) -> PresenceSummary:
        # An explicit away is the agent's intent: announced at once, without the grace period.
        await self._write(connection)
        return await self.evaluate(connection.principal_id, connection.account_id)

    async def disconnected(self, connection: Connection) -> None:
        agent_id, account_id = connection.principal_id, connection.account_id
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hdel(self._key(agent_id), connection.id)
            pipe.set(self._grace_key(agent_id), "1", px=max(int(self.grace * 1000), 1))
            await pipe.execute()
        task = asyncio.create_task(self._after_grace(agent_id, account_id))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _after_grace(self, agent_id: str, account_id: str) -> None:
        await asyncio.sleep(self.grace)
        try:
            await self.evaluate(agent_id, account_id)
        except Exception as exc:
            log.warning("presence_evaluate_failed", agent_id=agent_id, error=repr(exc))

    async def evaluate(self, agent_id: str, account_id: str) -> PresenceSummary:
        """Announce ``presence.changed`` if the agent's online state differs from the last one."""
        raw = await self.redis.hgetall(self._key(agent_id))  # type: ignore[misc]
        now = time.time()
        connections: dict[str, ConnectionPresence] = {}
        stale: list[str] = []
        for field, value in raw.items():
            presence = decode_presence(value)
            name = field.decode() if isinstance(field, bytes) else str(field)
            if presence is None or not is_live(presence, now=now, heartbeat_seconds=self.heartbeat):
                stale.append(name)
            else:
                connections[name] = presence
        if stale:
            await self.redis.hdel(self._key(agent_id), *stale)  # type: ignore[misc]
        summary = summarize(connections, now=now, heartbeat_seconds=self.heartbeat)
        was_online = bool(await self.redis.hexists(self._online_key, agent_id))  # type: ignore[misc]
        change = transition(was_online, summary)
        if change is None:
            return summary
        # HSETNX / HDEL decide between instances evaluating at the same moment.
        if change == "online":
            changed = await self.redis.hsetnx(self._online_key, agent_id, account_id)  # type: ignore[misc]
        else:
            changed = await self.redis.hdel(self._online_key, agent_id)  # type: ignore[misc]
        if changed:
            await self._announce(agent_id, account_id, summary)
        return summary

    async def _announce(self, agent_id: str, account_id: str, summary: PresenceSummary) -> None:
        news = PresenceChanged(
            agent_id=agent_id, online=summary.online, connections=summary.connections
        )
        envelope = Envelope.of(
            news,
            account_id=account_id,
            key=agent_id,
            audience=[Audience.agent(agent_id), Audience.role("supervisor")],
        )
        await self.bus.publish("gateway", envelope)
        log.info("presence_changed", agent_id=agent_id, online=summary.online)

    async def beat(self) -> None:
        """Refresh ``seen`` of this instance's agent connections."""
        agents = [c for c in self.hub.connections() if c.kind == "agent" and c.logged_in]
        if not agents:
            return
        now = time.time()
        async with self.redis.pipeline(transaction=False) as pipe:
            for connection in agents:
                key = self._key(connection.principal_id)
                value = encode_presence(ConnectionPresence(away=connection.away, seen=now))
                pipe.hset(key, connection.id, value)  # type: ignore[arg-type]  # bytes, as above
                pipe.expire(key, self._ttl_seconds)
            await pipe.execute()

    async def sweep(self) -> None:
        """Take offline the agents whose connections died with another gateway instance."""
        online = await self.redis.hgetall(self._online_key)  # type: ignore[misc]
        for raw_agent, raw_account in online.items():
            agent_id = raw_agent.decode() if isinstance(raw_agent, bytes) else str(raw_agent)
            if await self.redis.exists(self._grace_key(agent_id)):
                continue  # a connection closed moments ago: its own instance decides
            account = raw_account.decode() if isinstance(raw_account, bytes) else str(raw_account)
            await self.evaluate(agent_id, account)

    async def run(self) -> None:
        while True:
            await one_round(self._beat_and_sweep(), "presence_heartbeat_failed")
            await asyncio.sleep(self.heartbeat)

    async def _beat_and_sweep(self) -> None:
        await self.beat()
        await self.sweep()

    async def drain(self) -> None:
        for task in list(self._pending):
            task.cancel()
