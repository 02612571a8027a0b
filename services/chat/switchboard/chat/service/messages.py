"""Use cases of messages: send (idempotent by client_message_id) and read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.attachments.service.links import AttachmentView, Links
from switchboard.chat.attachments.store import attachments as attachment_store
from switchboard.chat.domain.content import InvalidContent, clean_content
from switchboard.chat.domain.kinds import kind_of_payload, summary
from switchboard.chat.domain.status import ConversationStatus, status_after_visitor_message
from switchboard.chat.errors import AttachmentNotSendable, ConversationNotFound
from switchboard.chat.organising.domain.waiting import waiting_since_after
from switchboard.chat.service import events, mentions, signatures
from switchboard.chat.service.access import conversation_view
from switchboard.chat.store import conversations as conversation_store
from switchboard.chat.store import messages as store
from switchboard.chat.store import participants as participant_store
from switchboard.chat.store.models import Conversation, Message, new_id
from switchboard.contracts.messages import MessageKind, MessagePayload
from switchboard.core.auth import Principal
from switchboard.core.errors import Unprocessable
from switchboard.core.events import Envelope, utcnow
from switchboard.core.pagination import PageQuery, Rows
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.work import UnitOfWork


@dataclass(frozen=True)
class Sender:
    type: Literal["visitor", "agent", "system"]
    id: UUID | None


@dataclass(frozen=True)
class SentMessage:
    message: Message
    created: bool  # False: the same client_message_id was stored before; nothing new happened
    attachments: Sequence[AttachmentView] = ()


@dataclass(frozen=True)
class ShownMessage:
    """A message as a reader gets it: with its attachments, their links signed for him."""

    message: Message
    attachments: Sequence[AttachmentView] = field(default_factory=list)


def checked_content(runtime: DatabaseRuntime, raw: str, *, with_attachments: bool = False) -> str:
    """The content to store (empty only beside attachments); 422 ``validation_error`` when it
    breaks a rule."""
    if with_attachments and not raw.strip():
        return ""
    try:
        return clean_content(raw, max_length=runtime.settings.max_message_length)
    except InvalidContent as exc:
        details = [{"loc": ["body", "content"], "msg": str(exc), "type": "value_error"}]
        raise Unprocessable(f"content: {exc}", details=details) from exc


@dataclass(frozen=True)
class Said:
    """What a message says: its kind, its content and (structured kinds) its payload's JSON."""

    kind: MessageKind
    content: str
    payload: dict[str, Any] | None = None


def said(
    runtime: DatabaseRuntime, message: str | MessagePayload, *, with_attachments: bool = False
) -> Said:
    """A text (checked, see ``checked_content``) or a payload, with its line of content."""
    if isinstance(message, str):
        content = checked_content(runtime, message, with_attachments=with_attachments)
        return Said(kind="text", content=content)
    return Said(
        kind=kind_of_payload(message),
        content=summary(message),
        payload=message.model_dump(mode="json", exclude_none=True),
    )


@dataclass(frozen=True)
class Draft:
    """A message to write: who sends what to which conversation.

    ``visitor_id`` restricts to that visitor's conversations.
    """

    account_id: UUID
    conversation_id: UUID
    sender: Sender
    content: str
    private: bool = False
    client_message_id: str | None = None
    visitor_id: UUID | None = None
    origin: str | None = None
    kind: MessageKind = "text"
    payload: dict[str, Any] | None = None
    mentions: tuple[UUID, ...] = ()
    # Uploads of the sender into the conversation that the message takes.
    attachment_ids: tuple[UUID, ...] = ()

    def may_write_to(self, conversation: Conversation) -> bool:
        return conversation.account_id == self.account_id and (
            self.visitor_id is None or conversation.visitor_id == self.visitor_id
        )


async def append_message(
    work: UnitOfWork,
    conversation: Conversation,
    *,
    sender: Sender,
    content: str,
    private: bool,
    client_message_id: str | None,
    origin: str | None,
    now: datetime,
) -> SentMessage:
    """Store a message in a conversation locked by the caller and queue its events."""
    draft = Draft(
        account_id=conversation.account_id,
        conversation_id=conversation.id,
        sender=sender,
        content=content,
        private=private,
        client_message_id=client_message_id,
        origin=origin,
    )
    participants = {
        conversation.id: await participant_store.agent_ids(work.session, conversation.id)
    }
    [sent] = await _append(work, [(draft, conversation, now)], participants)
    return sent


async def write_messages(
    runtime: DatabaseRuntime, drafts: Sequence[Draft]
) -> list[SentMessage | ConversationNotFound]:
    """Write the drafts in one transaction, in order; a draft whose conversation is not there
    (or not the sender's) gets ``ConversationNotFound`` and leaves the others alone."""
    async with runtime.work() as work:
        session = work.session
        locked = await conversation_store.lock_many(
            session, {draft.conversation_id for draft in drafts}
        )
        now = utcnow()
        refused: dict[int, ConversationNotFound] = {}
        placed: list[tuple[Draft, Conversation, datetime]] = []
        for index, draft in enumerate(drafts):
            found = locked.get(draft.conversation_id)
            if found is None or not draft.may_write_to(found.conversation):
                refused[index] = ConversationNotFound()
                continue
            # Distinct times: messages of one conversation in one batch keep their order.
            at = now + timedelta(microseconds=len(placed))
            placed.append((draft, found.conversation, at))
        participants = {key: found.agent_ids for key, found in locked.items()}
        written = iter(await _append(work, placed, participants, Links(runtime.settings)))
    return [refused[index] if index in refused else next(written) for index in range(len(drafts))]


async def _append(
    work: UnitOfWork,
    placed: Sequence[tuple[Draft, Conversation, datetime]],
    participants: Mapping[UUID, Sequence[UUID]],
    links: Links | None = None,
) -> list[SentMessage]:
    """Insert the messages of conversations locked by the caller (one statement each for the
    messages, the conversations and the outbox), in order; a repeated client_message_id
    answers with the message stored before and changes nothing. A message's attachments are
    taken from the sender's uploads (``AttachmentNotSendable``, and nothing written, when one
    is not his to send); ``links`` signs their links."""
    if not placed:
        return []
    session = work.session
    rows = [_row(draft, conversation, at) for draft, conversation, at in placed]
    inserted = await store.insert_many_unless_sent(session, rows)
    sent: list[SentMessage] = []
    envelopes: list[Envelope] = []
    touched: dict[UUID, Conversation] = {}
    mentioning: list[Message] = []
    for (draft, conversation, at), row in zip(placed, rows, strict=True):
        message = inserted.get(row["id"])
        if message is None:
            sent.append(await _replayed(session, draft, links))
            continue
        attachments = await _taken(session, draft, message, links)
        previous_status = conversation.status
        reopened = None
        if draft.sender.type == "visitor":
            reopened = status_after_visitor_message(ConversationStatus(previous_status))
        waiting = waiting_since_after(
            conversation.waiting_since, sender_type=draft.sender.type, private=draft.private, at=at
        )
        conversation_store.touch(
            conversation,
            at=at,
            status=reopened.value if reopened is not None else None,
            waiting_since=waiting,
        )
        touched[conversation.id] = conversation
        agents = participants[conversation.id]
        if reopened is not None:
            envelopes.append(
                events.status_changed(
                    conversation,
                    previous_status=previous_status,
                    participants=agents,
                    origin=draft.origin,
                )
            )
        envelopes.append(
            events.message_created(
                conversation,
                message,
                participants=agents,
                attachments=[view.contract() for view in attachments],
                origin=draft.origin,
            )
        )
        sent.append(SentMessage(message=message, created=True, attachments=attachments))
        if message.mentions:
            mentioning.append(message)
    await conversation_store.record_messages(session, list(touched.values()))
    await work.publish_many(envelopes)
    for message in mentioning:
        await mentions.record(work, message)
    return sent


def _row(draft: Draft, conversation: Conversation, at: datetime) -> dict[str, Any]:
    return {
        "id": new_id(),
        "account_id": conversation.account_id,
        "conversation_id": conversation.id,
        "sender_type": draft.sender.type,
        "sender_id": draft.sender.id,
        "content": draft.content,
        "private": draft.private,
        "client_message_id": draft.client_message_id,
        "created_at": at,
        "kind": draft.kind,
        "payload": draft.payload,
        "deleted_at": None,
        "mentions": list(draft.mentions),
    }


async def _taken(
    session: AsyncSession, draft: Draft, message: Message, links: Links | None
) -> list[AttachmentView]:
    if not draft.attachment_ids:
        return []
    assert links is not None, "a draft with attachments is written by write_messages"
    claimed = await attachment_store.claim(
        session, draft.attachment_ids, message=message, uploader_type=draft.sender.type
    )
    if len(claimed) != len(draft.attachment_ids):
        raise AttachmentNotSendable()  # the batch rolls back; the writer retries the others
    return links.views(claimed)


async def _replayed(session: AsyncSession, draft: Draft, links: Links | None) -> SentMessage:
    message = await _stored(session, draft)
    taken = await attachment_store.of_messages(session, message.account_id, [message.id])
    views = links.views(taken.get(message.id, [])) if links is not None else []
    return SentMessage(message=message, created=False, attachments=views)


async def _stored(session: AsyncSession, draft: Draft) -> Message:
    assert draft.sender.id is not None and draft.client_message_id is not None
    stored = await store.by_client_message_id(
        session, draft.conversation_id, draft.sender.id, draft.client_message_id
    )
    assert stored is not None, "the conflicting message is committed before we read it"
    return stored


async def append_system_message(
    work: UnitOfWork,
    conversation: Conversation,
    *,
    content: str,
    about: Sequence[UUID] = (),
    now: datetime,
) -> Message:
    """Write a line of history to a conversation locked by the caller.

    A system message is private (the visitor never sees it, on REST or a socket) and leaves
    the conversation's activity times alone: it records what happened, it is not a reply.
    ``about``: agents the line concerns, told even when they are not (or no longer) in it.
    """
    message = Message(
        id=new_id(),
        account_id=conversation.account_id,
        conversation_id=conversation.id,
        sender_type="system",
        sender_id=None,
        content=content,
        private=True,
        client_message_id=None,
        created_at=now,
    )
    work.session.add(message)
    await work.session.flush()
    participants = await participant_store.agent_ids(work.session, conversation.id)
    envelope = events.message_created(
        conversation, message, participants=participants, also=about, origin=None
    )
    await work.publish(envelope)
    return message


class Writer(Protocol):
    """Writes a draft, maybe with others in one transaction (chat's ``MessageWriter``)."""

    async def send(self, draft: Draft) -> SentMessage: ...


async def send_message(
    runtime: DatabaseRuntime,
    writer: Writer,
    *,
    account_id: UUID,
    conversation_id: UUID,
    sender: Sender,
    content: str | MessagePayload,
    private: bool = False,
    client_message_id: str | None = None,
    visitor_id: UUID | None = None,
    origin: str | None = None,
    append_signature: bool = False,
    mentioned: Sequence[UUID] = (),
    attachment_ids: Sequence[UUID] = (),
) -> SentMessage:
    """Send a message (a private note when ``private``) to a conversation of the account: a
    text, or the payload of a structured kind (which kinds a sender may send, the body says),
    with the sender's uploads ``attachment_ids`` (a text may then be empty).

    ``visitor_id`` restricts to that visitor's conversations. A visitor's message reopens a
    resolved or snoozed conversation. An agent's message carries his signature when he asks
    (``append_signature``; never a private note); a private note may mention agents of the
    account (``mentioned``), each notified and let read the conversation.
    """
    if append_signature and isinstance(content, str) and sender.type == "agent" and sender.id:
        content = await signatures.signed_by(
            runtime, account_id=account_id, agent_id=sender.id, content=content, private=private
        )
    message = said(runtime, content, with_attachments=bool(attachment_ids))
    draft = Draft(
        account_id=account_id,
        conversation_id=conversation_id,
        sender=sender,
        content=message.content,
        kind=message.kind,
        payload=message.payload,
        private=private,
        client_message_id=client_message_id,
        visitor_id=visitor_id,
        origin=origin,
        mentions=await mentions.checked(
            runtime, account_id=account_id, mentioned=mentioned, private=private
        ),
        attachment_ids=tuple(dict.fromkeys(attachment_ids)),
    )
    return await writer.send(draft)


async def list_messages(
    runtime: DatabaseRuntime, *, reader: Principal, conversation_id: UUID, page: PageQuery
) -> Rows[ShownMessage]:
    """A page of the conversation's messages, newest first, as ``reader`` may see them: an
    agent (whom the route already let read it) sees the account's conversation with its
    private notes; a visitor sees only his own conversation, never a private note."""
    visitor = reader.kind == "visitor"
    async with runtime.db.session() as session:
        await conversation_view(
            session, reader.account_id, conversation_id, visitor_id=reader.id if visitor else None
        )
        rows = await store.page_of(session, conversation_id, include_private=not visitor, page=page)
        ids = [m.id for m in rows.items]
        taken = await attachment_store.of_messages(session, reader.account_id, ids)
    views = Links(runtime.settings).of_messages(taken)
    return rows.map(lambda message: ShownMessage(message, views.get(message.id, [])))
