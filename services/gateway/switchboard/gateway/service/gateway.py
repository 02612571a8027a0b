"""The state of one gateway instance, built in the lifespan once its runtime is up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from switchboard.core.app import ServiceState
from switchboard.core.runtime import Loop, Runtime
from switchboard.gateway.service.actions.dispatch import Actions
from switchboard.gateway.service.actions.parts import ActionParts
from switchboard.gateway.service.conversations import ConversationCache
from switchboard.gateway.service.fanout import Fanout
from switchboard.gateway.service.hub import Hub
from switchboard.gateway.service.presence import PresenceTracker
from switchboard.gateway.service.push_stream import PushStream
from switchboard.gateway.service.routes import Upstreams
from switchboard.gateway.service.upstream import ServiceClient

__all__ = ["Gateway", "running_gateway"]


class Gateway(ServiceState):
    """Connections, presence, fan-out, the socket actions and the route table of this
    instance, over its runtime (Redis, the bus, sessions, rate limits)."""

    def __init__(self, runtime: Runtime, hub: Hub, services: ServiceClient) -> None:
        settings = runtime.settings
        self.runtime = runtime
        self.settings = settings
        self.hub = hub
        self.services = services  # every call to the services, sockets' and REST's
        self.upstreams = Upstreams(settings, services)
        self.conversations = ConversationCache(services, settings.service_url("chat"))
        push = PushStream(runtime.bus)
        self.presence = PresenceTracker(runtime.bus, settings, hub)
        self.fanout = Fanout(push, hub, block_ms=settings.consumer_block_ms)
        self.actions = Actions(
            ActionParts(
                settings=settings,
                sessions=runtime.sessions,
                services=services,
                conversations=self.conversations,
                hub=hub,
                presence=self.presence,
                bus=runtime.bus,
                push=push,
            )
        )

    def loops(self) -> list[Loop]:
        return [self.run_fanout(), self.run_presence(), self.run_upstreams()]

    async def run_fanout(self) -> None:
        await self.fanout.run()

    async def run_presence(self) -> None:
        try:
            await self.presence.run()
        finally:
            await self.presence.drain()

    async def run_upstreams(self) -> None:
        await self.upstreams.run()


@asynccontextmanager
async def running_gateway(runtime: Runtime, hub: Hub) -> AsyncIterator[Gateway]:
    """The gateway over ``runtime``; ``hub``: its sockets, made with the app (its metrics
    count them from the first scrape)."""
    services = ServiceClient()
    try:
        gateway = Gateway(runtime, hub, services)
        await gateway.fanout.start()
        yield gateway
    finally:
        await services.close()
