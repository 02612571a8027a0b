"""The gateway service: websockets, the push relay and fan-out, presence, the REST front."""

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from switchboard.core.app import ServiceParts, create_service_app
from switchboard.core.settings import Settings, get_settings
from switchboard.gateway.api.front import router as front_router
from switchboard.gateway.api.sockets import SocketsFirst
from switchboard.gateway.api.sockets import router as socket_router
from switchboard.gateway.events.relay import build_relay
from switchboard.gateway.service.gateway import Gateway
from switchboard.gateway.service.metrics import LiveSockets

__all__ = ["CONSUMED", "create_app"]

CONSUMED = ["chat", "routing", "gateway", "tickets", "analytics"]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    gateway = Gateway(settings)
    parts = ServiceParts(
        name="gateway",
        title="Switchboard gateway",
        description="Websockets for agents and visitors, and the one REST front of the suite.",
        # The catch-all proxy comes last, after the sockets, /openapi.json and /docs.
        routers=[socket_router, front_router],
        metadata=None,
        migrations=None,
        consumes=CONSUMED,
        handler=build_relay,
        tasks=[gateway.run_fanout, gateway.run_presence, gateway.run_upstreams],
        on_startup=gateway.start,
        on_shutdown=gateway.stop,
        docs=False,
        collectors=[LiveSockets(gateway.hub)],
    )
    app = create_service_app(parts, settings)
    app.state.gateway = gateway
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
