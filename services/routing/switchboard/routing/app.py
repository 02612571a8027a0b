"""The routing service: the directory, availability, teams, the queue, assignment, offers,
transfers and participants."""

from fastapi import FastAPI

from switchboard.core.app import ServiceParts, create_service_app
from switchboard.core.runtime import with_database
from switchboard.core.settings import Settings, get_settings
from switchboard.routing.assignment.api.queue import router as queue_router
from switchboard.routing.assignment.service.drain import run_queue_watchdog
from switchboard.routing.directory.api.accounts import router as accounts_router
from switchboard.routing.directory.api.agents import router as agents_router
from switchboard.routing.directory.api.auth import router as auth_router
from switchboard.routing.directory.api.inboxes import router as inboxes_router
from switchboard.routing.directory.api.teams import router as teams_router
from switchboard.routing.directory.service.sessions import keep_republishing
from switchboard.routing.events.handlers import build_batch_handler, handlers
from switchboard.routing.service.state import routing_state
from switchboard.routing.store.models import Base
from switchboard.routing.transfers.api.participants import router as participants_router
from switchboard.routing.transfers.api.transfers import router as transfers_router

PARTS = ServiceParts(
    name="routing",
    title="Switchboard routing",
    description=(
        "Accounts, agents and their tokens, teams, inbox membership and routing, availability "
        "and capacity, the queue, automatic and manual assignment, broadcast offers, "
        "transfers, invitations and participants."
    ),
    routers=[
        auth_router,
        accounts_router,
        agents_router,
        teams_router,
        inboxes_router,
        queue_router,
        transfers_router,
        participants_router,
    ],
    runtime=with_database(Base.metadata),
    migrations="switchboard.routing.migrations",
    consumes=handlers.sources,
    handler=handlers.handler,
    # No linger: a conversation waiting to be assigned is handled as soon as it is read.
    batch_handler=build_batch_handler,
    tasks=[run_queue_watchdog, keep_republishing],
    uses_jobs=True,
    state=routing_state,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(PARTS, settings or get_settings())
