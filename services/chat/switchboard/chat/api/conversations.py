"""The agents' paths: conversations of the account, their status and messages."""

from typing import TYPE_CHECKING, Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from switchboard.chat.api.deps import (
    READER_REFUSALS,
    WRITER_REFUSALS,
    MessageWriterDep,
    OriginDep,
    ReaderDep,
    WriterDep,
    sends,
)
from switchboard.chat.api.schemas import (
    AgentMessageCreate,
    ConversationDetailRead,
    ConversationRead,
    ConversationStatusUpdate,
    MessageRead,
    conversation_page_json,
    sent_read,
)
from switchboard.chat.domain.status import ConversationStatus
from switchboard.chat.errors import (
    AttachmentNotSendable,
    InvalidTransition,
    SnoozedUntilInPast,
    SnoozedUntilNotAllowed,
    SnoozedUntilRequired,
    StatusUnchanged,
)
from switchboard.chat.service import conversations, messages, participants
from switchboard.chat.service.messages import Sender
from switchboard.core.auth import AgentDep, Role
from switchboard.core.pagination import Page, PageDep
from switchboard.core.routes import answers, lists
from switchboard.core.runtime import DatabaseRuntimeDep

if TYPE_CHECKING:  # the filter the use case takes
    from switchboard.chat.store.conversations import AssigneeFilter

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])


@router.get("", **lists(ConversationRead))
async def list_conversations(
    agent: AgentDep,
    runtime: DatabaseRuntimeDep,
    page: PageDep,
    status_: Annotated[ConversationStatus | None, Query(alias="status")] = None,
    assignee: Annotated[Literal["me", "unassigned", "all"], Query()] = "all",
    inbox_id: UUID | None = None,
    participating: Annotated[
        bool,
        Query(
            description="true: only conversations the caller takes part in as a participant"
            " (invited to help) or a monitor, not as the assignee; combines with the other"
            " filters (so together with assignee=me it matches nothing)."
        ),
    ] = False,
) -> Response:
    """The conversations the caller may see (an agent: those of his inboxes, plus those he is
    assigned to, takes part in or is invited into; supervisors and admins: the account's),
    most recent activity first, filtered."""
    who: AssigneeFilter = None
    if assignee == "me":
        who = agent.id
    elif assignee == "unassigned":
        who = "unassigned"
    listed = await conversations.list_conversations(
        runtime,
        account_id=agent.account_id,
        status=status_,
        assignee=who,
        inbox_id=inbox_id,
        participant_id=agent.id if participating else None,
        visible_to=None if agent.at_least(Role.supervisor) else agent.id,
        page=page,
    )
    return Response(conversation_page_json(listed), media_type="application/json")


@router.get("/{conversation_id}", **answers(ConversationDetailRead, *READER_REFUSALS))
async def get_conversation(
    conversation_id: UUID, agent: ReaderDep, runtime: DatabaseRuntimeDep
) -> ConversationDetailRead:
    """One conversation of the account, with its assignee's and participants' names."""
    detail = await participants.get_conversation_detail(
        runtime, account_id=agent.account_id, conversation_id=conversation_id
    )
    return ConversationDetailRead.of_detail(detail)


@router.patch(
    "/{conversation_id}",
    **answers(
        ConversationRead,
        *WRITER_REFUSALS,
        StatusUnchanged,
        InvalidTransition,
        SnoozedUntilRequired,
        SnoozedUntilInPast,
        SnoozedUntilNotAllowed,
    ),
    description=(
        "Open, park (pending), snooze until a time, or resolve a conversation. The same status"
        " again answers 409 status_unchanged (snoozed with another snoozed_until moves the"
        " wake-up instead); a resolved conversation can only be reopened (409"
        " invalid_transition); snoozed_until is required, and in the future, with 'snoozed'"
        " and refused with any other status (422)."
    ),
)
async def update_conversation_status(
    conversation_id: UUID,
    body: ConversationStatusUpdate,
    agent: WriterDep,
    runtime: DatabaseRuntimeDep,
    origin: OriginDep,
) -> ConversationRead:
    """Change the status of a conversation."""
    view = await conversations.change_status(
        runtime,
        account_id=agent.account_id,
        conversation_id=conversation_id,
        status=body.status,
        snoozed_until=body.snoozed_until,
        origin=origin,
    )
    return ConversationRead.of(view)


@router.get(
    "/{conversation_id}/messages",
    **lists(MessageRead, *READER_REFUSALS),
)
async def list_conversation_messages(
    conversation_id: UUID, agent: ReaderDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> Page[MessageRead]:
    """Every message of the conversation, private notes and system messages included."""
    listed = await messages.list_messages(
        runtime, reader=agent, conversation_id=conversation_id, page=page
    )
    return Page.of_rows(listed, MessageRead.of)


@router.post("/{conversation_id}/messages", **sends(*WRITER_REFUSALS, AttachmentNotSendable))
async def send_agent_message(
    conversation_id: UUID,
    body: AgentMessageCreate,
    agent: WriterDep,
    runtime: DatabaseRuntimeDep,
    writer: MessageWriterDep,
    origin: OriginDep,
    response: Response,
) -> MessageRead:
    """Write to a conversation as the agent; private notes are never shown to the visitor."""
    sent = await messages.send_message(
        runtime,
        writer,
        account_id=agent.account_id,
        conversation_id=conversation_id,
        sender=Sender(type="agent", id=agent.id),
        content=body.content or "",
        private=body.private,
        client_message_id=body.client_message_id,
        origin=origin,
        attachment_ids=body.attachment_ids,
    )
    return sent_read(sent, response)
