"""The widget's paths: visitors register, open conversations and write."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Request, Response

from switchboard.chat.api.deps import MessageWriterDep, OriginDep, sends
from switchboard.chat.api.schemas import (
    MessageRead,
    VisitorConversationCreate,
    VisitorCreate,
    VisitorMessageCreate,
    VisitorSessionRead,
    WidgetConversationRead,
    attachments_of,
    content_of,
    conversation_page_json,
    sent_read,
)
from switchboard.chat.domain.finding import ConversationFilter, Listing
from switchboard.chat.errors import AttachmentNotSendable, ConversationNotFound, InboxNotFound
from switchboard.chat.service import conversations, finding, messages, visitors
from switchboard.chat.service.messages import Sender
from switchboard.contracts.text import Text
from switchboard.core.auth import VisitorDep
from switchboard.core.clients import client_address
from switchboard.core.pagination import Page, PageDep
from switchboard.core.routes import creates, lists
from switchboard.core.runtime import DatabaseRuntimeDep

router = APIRouter(prefix="/v1/public", tags=["widget"])

WidgetToken = Annotated[Text, Path(max_length=64)]


@router.post("/inboxes/{widget_token}/visitors", **creates(VisitorSessionRead, InboxNotFound))
async def create_visitor(
    widget_token: WidgetToken,
    runtime: DatabaseRuntimeDep,
    origin: OriginDep,
    request: Request,
    body: VisitorCreate | None = None,
) -> VisitorSessionRead:
    """Register a visitor of the widget's inbox and get its token (no authentication);
    limited per address and per widget (429 rate_limited)."""
    settings, limits = runtime.settings, runtime.rate_limits
    await limits.hit(
        settings.rate_limit_visitors_per_ip, "visitors-address", client_address(request, settings)
    )
    await limits.hit(settings.rate_limit_visitors_per_widget, "visitors-widget", widget_token)
    body = body or VisitorCreate()
    session = await visitors.create_visitor(
        runtime,
        widget_token=widget_token,
        name=body.name,
        email=body.email,
        phone=body.phone,
        origin=origin,
    )
    return VisitorSessionRead(visitor_id=session.visitor.id, token=session.token)


@router.post("/conversations", **creates(WidgetConversationRead, InboxNotFound))
async def open_conversation(
    visitor: VisitorDep,
    runtime: DatabaseRuntimeDep,
    origin: OriginDep,
    body: VisitorConversationCreate | None = None,
) -> WidgetConversationRead:
    """Open a conversation as the visitor, with a first message when content is given;
    limited per visitor (429 rate_limited)."""
    await runtime.rate_limits.hit(
        runtime.settings.rate_limit_conversations_per_visitor, "conversations", str(visitor.id)
    )
    body = body or VisitorConversationCreate()
    view = await conversations.open_conversation(
        runtime, visitor=visitor, content=body.content, origin=origin
    )
    return WidgetConversationRead.of(view)


@router.get("/conversations", **lists(WidgetConversationRead))
async def list_visitor_conversations(
    visitor: VisitorDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> Response:
    """The visitor's own conversations, most recent activity first."""
    listing = Listing(ConversationFilter(visitor_id=visitor.id))
    listed = await finding.list_conversations(
        runtime, account_id=visitor.account_id, listing=listing, page=page
    )
    return Response(conversation_page_json(listed), media_type="application/json")


@router.get("/conversations/{conversation_id}/messages", **lists(MessageRead, ConversationNotFound))
async def list_visitor_messages(
    conversation_id: UUID, visitor: VisitorDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> Page[MessageRead]:
    """The messages of the visitor's conversation, newest first; never private notes."""
    listed = await messages.list_messages(
        runtime, reader=visitor, conversation_id=conversation_id, page=page
    )
    return Page.of_rows(listed, MessageRead.of)


@router.post(
    "/conversations/{conversation_id}/messages",
    **sends(ConversationNotFound, AttachmentNotSendable),
)
async def send_visitor_message(
    conversation_id: UUID,
    body: VisitorMessageCreate,
    visitor: VisitorDep,
    runtime: DatabaseRuntimeDep,
    writer: MessageWriterDep,
    origin: OriginDep,
    response: Response,
) -> MessageRead:
    """Write to the visitor's conversation (reopens it when resolved or snoozed); limited per
    visitor (429 rate_limited), whether over REST or his sockets."""
    await runtime.rate_limits.hit(
        runtime.settings.rate_limit_messages_per_visitor, "messages", str(visitor.id)
    )
    sent = await messages.send_message(
        runtime,
        writer,
        account_id=visitor.account_id,
        conversation_id=conversation_id,
        visitor_id=visitor.id,
        sender=Sender(type="visitor", id=visitor.id),
        content=content_of(body),
        client_message_id=body.client_message_id,
        origin=origin,
        attachment_ids=attachments_of(body),
    )
    return sent_read(sent, response)
