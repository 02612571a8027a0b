"""The state of one gateway instance, built in the lifespan and reached as app state."""

from __future__ import annotations

from switchboard.core.runtime import Runtime
from switchboard.core.settings import Settings
from switchboard.gateway.service.actions.dispatch import Actions
from switchboard.gateway.service.actions.parts import ActionParts
from switchboard.gateway.service.conversations import ConversationCache
from switchboard.gateway.service.fanout import Fanout
from switchboard.gateway.service.hub import Hub
from switchboard.gateway.service.presence import PresenceTracker
from switchboard.gateway.service.push_stream import PushStream
from switchboard.gateway.service.routes import Upstreams
from switchboard.gateway.service.upstream import ServiceClient

__all__ = ["Gateway"]


class Gateway:
    """Connections, presence, fan-out, the socket actions and the route table of this
    instance; what needs Redis is built when it starts."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.hub = Hub()
        self.services = ServiceClient()  # every call to the services, sockets' and REST's
        self.upstreams = Upstreams(settings, self.services)
        self.conversations = ConversationCache(self.services, settings.service_url("chat"))
        self._runtime: Runtime | None = None
        self._presence: PresenceTracker | None = None
        self._fanout: Fanout | None = None
        self._actions: Actions | None = None

    @property
    def runtime(self) -> Runtime:
        assert self._runtime is not None, "the gateway has not started"
        return self._runtime

    @property
    def presence(self) -> PresenceTracker:
        assert self._presence is not None, "the gateway has not started"
        return self._presence

    @property
    def actions(self) -> Actions:
        assert self._actions is not None, "the gateway has not started"
        return self._actions

    async def start(self, runtime: Runtime) -> None:
        self._runtime = runtime
        push = PushStream(runtime.bus)
        self._presence = PresenceTracker(runtime.bus, self.settings, self.hub)
        self._fanout = Fanout(push, self.hub, block_ms=self.settings.consumer_block_ms)
        self._actions = Actions(
            ActionParts(
                settings=self.settings,
                sessions=runtime.sessions,
                services=self.services,
                conversations=self.conversations,
                hub=self.hub,
                presence=self._presence,
                bus=runtime.bus,
                push=push,
            )
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

    async def run_upstreams(self, _: Runtime) -> None:
        await self.upstreams.run()
