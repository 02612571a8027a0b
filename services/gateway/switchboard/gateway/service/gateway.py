"""The state of one gateway instance, built in the lifespan and reached as app state."""

from __future__ import annotations

import httpx

from switchboard.core.bus import Bus
from switchboard.core.runtime import Runtime
from switchboard.core.settings import Settings
from switchboard.gateway.events.relay import push_stream
from switchboard.gateway.service.actions import Actions
from switchboard.gateway.service.conversations import ConversationCache
from switchboard.gateway.service.fanout import Fanout
from switchboard.gateway.service.hub import Hub
from switchboard.gateway.service.presence import PresenceTracker
from switchboard.gateway.service.routes import Upstreams
from switchboard.gateway.service.upstream import ServiceClient

__all__ = ["Gateway"]


class Gateway:
    """Connections, presence, fan-out and the route table of this instance."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.hub = Hub()
        self.actions = Actions(self)
        self.upstreams = Upstreams(settings)
        self.conversations = ConversationCache(settings.service_url("chat"))
        self.services = ServiceClient()  # socket actions' calls to the services
        self._runtime: Runtime | None = None
        self._presence: PresenceTracker | None = None
        self._fanout: Fanout | None = None

    @property
    def runtime(self) -> Runtime:
        assert self._runtime is not None, "the gateway has not started"
        return self._runtime

    @property
    def bus(self) -> Bus:
        return self.runtime.bus

    @property
    def http(self) -> httpx.AsyncClient:
        return self.runtime.http

    @property
    def push_stream(self) -> str:
        return push_stream(self.bus)

    @property
    def presence(self) -> PresenceTracker:
        assert self._presence is not None, "the gateway has not started"
        return self._presence

    async def start(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._presence = PresenceTracker(runtime.bus, self.settings, self.hub)
        self._fanout = Fanout(
            runtime.bus, self.push_stream, self.hub, block_ms=self.settings.consumer_block_ms
        )
        await self._fanout.start()

    async def stop(self, _: Runtime) -> None:
        await self.services.close()

    async def run_fanout(self, _: Runtime) -> None:
        assert self._fanout is not None
        await self._fanout.run()

    async def run_presence(self, _: Runtime) -> None:
        try:
            await self.presence.run()
        finally:
            await self.presence.drain()

    async def run_upstreams(self, runtime: Runtime) -> None:
        await self.upstreams.run(runtime.http)
