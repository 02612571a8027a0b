"""The tickets service: the CRM side of the suite (for now, a contact per visitor)."""

from fastapi import FastAPI

from switchboard.core.app import ServiceParts, create_service_app
from switchboard.core.runtime import with_database
from switchboard.core.settings import Settings, get_settings
from switchboard.tickets.api.routes import router
from switchboard.tickets.events.handlers import handlers
from switchboard.tickets.store.models import Base

PARTS = ServiceParts(
    name="tickets",
    title="Switchboard tickets",
    description="Contacts: the CRM profile of every visitor, searchable by the agents.",
    routers=[router],
    runtime=with_database(Base.metadata),
    migrations="switchboard.tickets.migrations",
    consumes=handlers.sources,
    handler=handlers.handler,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(PARTS, settings or get_settings())
