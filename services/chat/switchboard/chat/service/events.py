"""The envelopes chat publishes (the models are ``switchboard.contracts.chat``)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from switchboard.chat.store.models import Conversation, Inbox, Message, Visitor
from switchboard.contracts import chat as contract
from switchboard.contracts.values import AssignmentReason, Audience
from switchboard.core.events import Envelope

SUPERVISORS = Audience.role("supervisor")


def _conversation(conversation: Conversation) -> contract.Conversation:
    return contract.Conversation.model_validate(conversation, from_attributes=True)


def _message(message: Message, attachments: Sequence[contract.Attachment] = ()) -> contract.Message:
    read = contract.Message.model_validate(message, from_attributes=True)
    return read.model_copy(update={"attachments": list(attachments)}) if attachments else read


def inbox_created(inbox: Inbox, *, origin: str | None) -> Envelope:
    return Envelope.of(
        contract.InboxCreated(inbox_id=inbox.id, name=inbox.name),
        account_id=inbox.account_id,
        key=inbox.id,
        origin=origin,
    )


def visitor_created(visitor: Visitor, *, origin: str | None) -> Envelope:
    payload = contract.VisitorCreated(
        visitor_id=visitor.id,
        inbox_id=visitor.inbox_id,
        name=visitor.name,
        email=visitor.email,
        phone=visitor.phone,
    )
    return Envelope.of(payload, account_id=visitor.account_id, key=visitor.id, origin=origin)


def of_conversation(
    conversation: Conversation, payload: contract.ChatEvent, audience: list[str], origin: str | None
) -> Envelope:
    """An event of the conversation: in its account, keyed (ordered) by it."""
    return Envelope.of(
        payload,
        account_id=conversation.account_id,
        key=conversation.id,
        audience=audience,
        origin=origin,
    )


def agents_of(conversation: Conversation, agents: Sequence[UUID | None]) -> list[str]:
    """The assignee, then ``agents`` (participants and monitors, agents told besides), each
    once."""
    everyone = dict.fromkeys([conversation.assignee_id, *agents])
    return [Audience.agent(agent) for agent in everyone if agent is not None]


def _watchers(conversation: Conversation) -> list[str]:
    """Who hears every change of a conversation besides its agents: the members of its inbox,
    its visitor and the supervisors."""
    return [
        Audience.inbox(conversation.inbox_id),
        Audience.visitor(conversation.visitor_id),
        SUPERVISORS,
    ]


def conversation_created(conversation: Conversation, *, origin: str | None) -> Envelope:
    payload = contract.ConversationCreated(conversation=_conversation(conversation))
    return of_conversation(conversation, payload, _watchers(conversation), origin)


def conversation_assigned(
    conversation: Conversation,
    *,
    previous_assignee_id: UUID | None,
    participants: Sequence[UUID],
    reason: AssignmentReason | None = None,
    also: Sequence[UUID] = (),
    origin: str | None,
) -> Envelope:
    """``also``: more agents to tell (routing's ``previous_agent_id``)."""
    payload = contract.ConversationAssigned(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        assignee_id=conversation.assignee_id,
        previous_assignee_id=previous_assignee_id,
        reason=reason,
        conversation=_conversation(conversation),
    )
    agents = agents_of(conversation, [previous_assignee_id, *also, *participants])
    return of_conversation(conversation, payload, agents + _watchers(conversation), origin)


def status_changed(
    conversation: Conversation,
    *,
    previous_status: str,
    participants: Sequence[UUID],
    changed_by: UUID | None = None,
    origin: str | None,
) -> Envelope:
    """``changed_by``: the agent who asked for it (routing assigns him a conversation he set
    open while nobody had it)."""
    payload = contract.ConversationStatusChanged(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        status=conversation.status,
        previous_status=previous_status,
        snoozed_until=conversation.snoozed_until,
        assignee_id=conversation.assignee_id,
        changed_by_agent_id=changed_by,
    )
    agents = agents_of(conversation, participants)
    return of_conversation(conversation, payload, agents + _watchers(conversation), origin)


def message_created(
    conversation: Conversation,
    message: Message,
    *,
    participants: Sequence[UUID],
    also: Sequence[UUID] = (),
    attachments: Sequence[contract.Attachment] = (),
    origin: str | None,
) -> Envelope:
    """A private note (and every system message) never names the visitor in its audience,
    so the signed links of a note's attachments never reach him.

    Supervisors are not told every message of the account: they hear a conversation as
    members of its inbox, or by monitoring it. ``also``: more agents to tell (those a system
    message is about).
    """
    payload = contract.MessageCreated(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        message=_message(message, attachments),
    )
    audience = _hearers(conversation, message, [*participants, *also])
    return of_conversation(conversation, payload, audience, origin)


def message_deleted(
    conversation: Conversation,
    message: Message,
    *,
    participants: Sequence[UUID],
    origin: str | None,
) -> Envelope:
    """Heard as the message was: a private note's deletion never reaches the visitor."""
    assert message.deleted_at is not None
    payload = contract.MessageDeleted(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        message_id=message.id,
        deleted_at=message.deleted_at,
    )
    audience = _hearers(conversation, message, participants)
    return of_conversation(conversation, payload, audience, origin)


def _hearers(conversation: Conversation, message: Message, agents: Sequence[UUID]) -> list[str]:
    """Who hears a message: its conversation's agents and inbox, and the visitor unless it
    is private."""
    audience = [*agents_of(conversation, agents), Audience.inbox(conversation.inbox_id)]
    if not message.private:
        audience.append(Audience.visitor(conversation.visitor_id))
    return audience


def visitor_session_revoked(visitor: Visitor) -> Envelope:
    """The visitor's tokens stopped working: the gateway closes his sockets."""
    payload = contract.VisitorSessionRevoked(
        visitor_id=visitor.id,
        reason="revoked",
        session_version=visitor.session_version,
        family_id=None,
    )
    return Envelope.of(
        payload,
        account_id=visitor.account_id,
        key=visitor.id,
        audience=[Audience.visitor(visitor.id)],
    )
