"""The chat service: inboxes, visitors, conversations, messages, attachments and private
notes."""

from fastapi import FastAPI

from switchboard.chat.api.conversations import router as conversations_router
from switchboard.chat.api.inboxes import router as inboxes_router
from switchboard.chat.api.public import router as public_router
from switchboard.chat.api.visitors import router as visitors_router
from switchboard.chat.attachments.api.routes import router as attachments_router
from switchboard.chat.deletion.api.messages import router as deletion_router
from switchboard.chat.events.handlers import handlers
from switchboard.chat.notifications.api.notifications import router as notifications_router
from switchboard.chat.organising.api.conversations import router as organising_router
from switchboard.chat.organising.api.labels import router as labels_router
from switchboard.chat.organising.api.public import router as organising_public_router
from switchboard.chat.quick_replies.api.routes import router as quick_replies_router
from switchboard.chat.service.state import chat_state
from switchboard.chat.service.visitors import republish_revoked_sessions
from switchboard.chat.store.models import Base
from switchboard.core.app import ServiceParts, create_service_app
from switchboard.core.runtime import with_database
from switchboard.core.settings import Settings, get_settings

PARTS = ServiceParts(
    name="chat",
    title="Switchboard chat",
    description="Inboxes, visitors, conversations, messages and private notes.",
    routers=[
        inboxes_router,
        public_router,
        conversations_router,
        visitors_router,
        labels_router,
        organising_router,
        organising_public_router,
        deletion_router,
        notifications_router,
        attachments_router,
        quick_replies_router,
    ],
    runtime=with_database(Base.metadata),
    migrations="switchboard.chat.migrations",
    consumes=handlers.sources,
    handler=handlers.handler,
    tasks=[republish_revoked_sessions],
    uses_jobs=True,
    state=chat_state,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(PARTS, settings or get_settings())
