"""The routing service: the directory, availability, the queue and automatic assignment."""

from fastapi import FastAPI

from switchboard.core.app import ServiceParts, create_service_app
from switchboard.core.settings import Settings, get_settings
from switchboard.routing.api.agents import router as agents_router
from switchboard.routing.api.auth import router as auth_router
from switchboard.routing.api.inboxes import router as inboxes_router
from switchboard.routing.events.handlers import build_handler
from switchboard.routing.service.assignment import run_queue_watchdog
from switchboard.routing.store.models import Base

PARTS = ServiceParts(
    name="routing",
    title="Switchboard routing",
    description=(
        "Accounts, agents and their tokens, inbox membership, availability, "
        "the unassigned queue and automatic assignment."
    ),
    routers=[auth_router, agents_router, inboxes_router],
    metadata=Base.metadata,
    migrations="switchboard.routing.migrations",
    consumes=["chat", "gateway"],
    handler=build_handler,
    tasks=[run_queue_watchdog],
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(PARTS, settings or get_settings())
