"""The agents' paths: conversations of the account, their status and messages."""

from dataclasses import replace
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

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
    ConversationCountsRead,
    ConversationDetailRead,
    ConversationListItem,
    ConversationRead,
    ConversationStatusUpdate,
    MessageRead,
    SearchText,
    agent_page_json,
    attachments_of,
    content_of,
    reply_of,
    sent_read,
)
from switchboard.chat.attachments.api.routes import ChatStateDep
from switchboard.chat.domain.finding import (
    AssigneeFilter,
    ConversationFilter,
    ConversationSort,
    Listing,
    TimeRange,
)
from switchboard.chat.domain.status import ConversationStatus
from switchboard.chat.errors import (
    AttachmentNotSendable,
    CannedResponseNotFound,
    InvalidRange,
    InvalidTransition,
    MentionsNeedPrivateNote,
    SnoozedUntilInPast,
    SnoozedUntilNotAllowed,
    SnoozedUntilRequired,
    StatusUnchanged,
    UnknownMention,
)
from switchboard.chat.organising.domain.priority import ConversationPriority
from switchboard.chat.organising.service import reads
from switchboard.chat.quick_replies.service import files, filling
from switchboard.chat.service import conversations, finding, messages, participants
from switchboard.chat.service.messages import Sender
from switchboard.contracts.inputs import Timestamp
from switchboard.core.auth import AgentDep, Principal, Role
from switchboard.core.pagination import Page, PageDep
from switchboard.core.routes import answers, lists
from switchboard.core.runtime import DatabaseRuntimeDep

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])


async def _wanted(  # async: a plain def dependency runs in a worker thread
    agent: AgentDep,
    status_: Annotated[ConversationStatus | None, Query(alias="status")] = None,
    assignee: Annotated[
        Literal["me", "unassigned", "all"] | UUID,
        Query(description="me, unassigned, all, or an agent's id."),
    ] = "all",
    inbox_id: UUID | None = None,
    visitor_id: UUID | None = None,
    participating: Annotated[
        bool,
        Query(
            description="true: only conversations the caller takes part in as a participant"
            " (invited to help) or a monitor, not as the assignee; combines with the other"
            " filters (so together with assignee=me it matches nothing)."
        ),
    ] = False,
    created_after: Annotated[Timestamp | None, Query(description="Opened at or after.")] = None,
    created_before: Annotated[Timestamp | None, Query(description="Opened before.")] = None,
    updated_after: Annotated[Timestamp | None, Query(description="Changed at or after.")] = None,
    updated_before: Annotated[Timestamp | None, Query(description="Changed before.")] = None,
    team_id: Annotated[UUID | None, Query(description="It was sent to this team.")] = None,
    label_id: Annotated[UUID | None, Query(description="It carries this label.")] = None,
    priority: ConversationPriority | None = None,
    starred: Annotated[bool, Query(description="true: only those the caller starred.")] = False,
    unread: Annotated[
        bool, Query(description="true: only those with messages the caller has not read.")
    ] = False,
    unreplied: Annotated[
        bool | None,
        Query(
            description="true: the visitor wrote last and no agent answered since"
            " (waiting_since is set); false: not waiting."
        ),
    ] = None,
    q: Annotated[
        SearchText | None,
        Query(
            description="Search: the conversation's id, the visitor's name, email or phone,"
            " message text; case and accents do not matter ('huyen' finds 'Huyền'). Matches"
            " are ranked (the id, then the visitor, then messages), then sorted."
        ),
    ] = None,
) -> ConversationFilter:
    who: AssigneeFilter = None
    if assignee == "me":
        who = agent.id
    elif assignee == "unassigned":
        who = "unassigned"
    elif isinstance(assignee, UUID):
        who = assignee
    return ConversationFilter(
        status=status_,
        assignee=who,
        inbox_id=inbox_id,
        visitor_id=visitor_id,
        participant_id=agent.id if participating else None,
        created=TimeRange(created_after, created_before),
        updated=TimeRange(updated_after, updated_before),
        team_id=team_id,
        label_id=label_id,
        priority=priority,
        starred_by=agent.id if starred else None,
        unread_by=agent.id if unread else None,
        unreplied=unreplied,
        search=q,
    )


def _visible_to(agent: Principal) -> UUID | None:
    return None if agent.at_least(Role.supervisor) else agent.id


@router.get("", **lists(ConversationListItem, InvalidRange))
async def list_conversations(
    agent: AgentDep,
    wanted: Annotated[ConversationFilter, Depends(_wanted)],
    runtime: DatabaseRuntimeDep,
    page: PageDep,
    sort: Annotated[
        ConversationSort,
        Query(
            description="last_activity (the default), newest or oldest (by opening),"
            " longest_waiting (unreplied first, the longest waiting first), priority (urgent"
            " first, then the latest activity)."
        ),
    ] = ConversationSort.last_activity,
) -> Response:
    """The conversations the caller may see (an agent: those of his inboxes, plus those he is
    assigned to, takes part in or is invited into; supervisors and admins: the account's),
    filtered (every filter narrows), searched and sorted."""
    listing = Listing(wanted, sort, visible_to=_visible_to(agent), viewer=agent.id)
    listed = await finding.list_conversations(
        runtime, account_id=agent.account_id, listing=listing, page=page
    )
    return Response(agent_page_json(listed), media_type="application/json")


@router.get("/counts", **answers(ConversationCountsRead, InvalidRange))
async def count_conversations(
    agent: AgentDep,
    wanted: Annotated[ConversationFilter, Depends(_wanted)],
    runtime: DatabaseRuntimeDep,
) -> ConversationCountsRead:
    """The sidebar's counts in one query, over what the caller may see and the other filters:
    mine, unassigned, all, participating, starred, unread and unreplied at `status` (open by
    default), and the count of every status."""
    counts = await finding.count_conversations(
        runtime,
        account_id=agent.account_id,
        agent_id=agent.id,
        wanted=replace(
            wanted,
            status=None,
            assignee=None,
            participant_id=None,
            starred_by=None,
            unread_by=None,
            unreplied=None,
        ),
        status=wanted.status or ConversationStatus.open,
        visible_to=_visible_to(agent),
    )
    return ConversationCountsRead.of(counts)


# ":uuid": the conversation's own paths leave "/counts" to its route (a PATCH of it is a 405).
@router.get("/{conversation_id:uuid}", **answers(ConversationDetailRead, *READER_REFUSALS))
async def get_conversation(
    conversation_id: UUID, agent: ReaderDep, runtime: DatabaseRuntimeDep
) -> ConversationDetailRead:
    """One conversation of the account, with its assignee's and participants' names, its
    labels, and the caller's own star and unread count."""
    detail = await participants.get_conversation_detail(
        runtime, account_id=agent.account_id, conversation_id=conversation_id
    )
    organised = await reads.organised(runtime, agent=agent, conversation_id=conversation_id)
    return ConversationDetailRead.of_detail(detail, organised)


@router.get("/{conversation_id}/previous", **lists(ConversationListItem, *READER_REFUSALS))
async def list_previous_conversations(
    conversation_id: UUID, agent: ReaderDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> Response:
    """The visitor's other conversations that the caller may see, the most recent activity
    first: his history, from any of his conversations."""
    listed = await finding.list_other_conversations(
        runtime,
        account_id=agent.account_id,
        conversation_id=conversation_id,
        visible_to=_visible_to(agent),
        viewer=agent.id,
        page=page,
    )
    return Response(agent_page_json(listed), media_type="application/json")


@router.patch(
    "/{conversation_id:uuid}",
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
        by=agent.id,
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


@router.post(
    "/{conversation_id}/messages",
    **sends(
        *WRITER_REFUSALS,
        MentionsNeedPrivateNote,
        UnknownMention,
        AttachmentNotSendable,
        CannedResponseNotFound,
    ),
)
async def send_agent_message(
    conversation_id: UUID,
    body: AgentMessageCreate,
    agent: WriterDep,
    runtime: DatabaseRuntimeDep,
    writer: MessageWriterDep,
    origin: OriginDep,
    response: Response,
    chat: ChatStateDep,
) -> MessageRead:
    """Write to a conversation as the agent; private notes are never shown to the visitor.
    A quick reply sends its content filled and a copy of each of its files."""
    content, reply, attachment_ids = content_of(body), reply_of(body), attachments_of(body)
    if reply is not None:
        content = await filling.filled_reply(
            runtime, caller=agent, conversation_id=conversation_id, response_id=reply
        )
        copies = await files.copy_into_conversation(
            runtime,
            chat.storage,
            caller=agent,
            response_id=reply,
            conversation_id=conversation_id,
        )
        attachment_ids = [*copies, *attachment_ids]
    sent = await messages.send_message(
        runtime,
        writer,
        account_id=agent.account_id,
        conversation_id=conversation_id,
        sender=Sender(type="agent", id=agent.id),
        content=content,
        private=body.private,
        client_message_id=body.client_message_id,
        origin=origin,
        append_signature=body.append_signature,
        mentioned=body.mentions,
        attachment_ids=attachment_ids,
    )
    return sent_read(sent, response)
