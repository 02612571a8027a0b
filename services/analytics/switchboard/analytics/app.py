"""The analytics service: read models built from every stream."""

from fastapi import FastAPI

from switchboard.analytics.api.routes import router
from switchboard.analytics.events.handlers import build_batch_handler, handlers
from switchboard.analytics.store.models import Base
from switchboard.core.app import ServiceParts, create_service_app
from switchboard.core.runtime import with_database
from switchboard.core.settings import Settings, get_settings

PARTS = ServiceParts(
    name="analytics",
    title="Switchboard analytics",
    description="Read models and reports: activity per day, response times, SLAs.",
    routers=[router],
    runtime=with_database(Base.metadata),
    migrations="switchboard.analytics.migrations",
    consumes=handlers.sources,
    handler=handlers.handler,
    batch_handler=build_batch_handler,
    batch_linger_ms=100,  # counts may lag a tenth of a second; they come in bigger batches
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(PARTS, settings or get_settings())
