"""The gateway service: websockets, the push relay and fan-out, presence, the REST front."""

from functools import partial

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from switchboard.core.app import ServiceParts, create_service_app
from switchboard.core.runtime import Runtime
from switchboard.core.settings import Settings, get_settings
from switchboard.gateway.api.front import router as front_router
from switchboard.gateway.api.sockets import SocketsFirst
from switchboard.gateway.api.sockets import router as socket_router
from switchboard.gateway.events.relay import build_relay
from switchboard.gateway.service.gateway import running_gateway
from switchboard.gateway.service.hub import Hub
from switchboard.gateway.service.metrics import LiveSockets

__all__ = ["CONSUMED", "create_app"]

CONSUMED = ["chat", "routing", "gateway", "tickets", "analytics"]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    hub = Hub()
    parts = ServiceParts(
        name="gateway",
        title="Switchboard gateway",
        description="Websockets for agents and visitors, and the one REST front of the suite.",
        # The catch-all proxy comes last, after the sockets, /openapi.json and /docs.
        routers=[socket_router, front_router],
        runtime=Runtime,  # no tables: Redis, the bus, sessions and rate limits
        consumes=CONSUMED,
        handler=build_relay,
        state=partial(running_gateway, hub=hub),  # with its fan-out, presence and routes
        docs=False,
        collectors=[LiveSockets(hub)],
    )
    app = create_service_app(parts, settings)
    if settings.cors_origins:
        # Bearer tokens, no cookies: no credentials. Preflights are answered here.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["authorization", "content-type"],
            expose_headers=["retry-after"],
            max_age=600,
        )
    app.add_middleware(SocketsFirst)
    return app
