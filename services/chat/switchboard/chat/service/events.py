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


def _message(message: Message) -> contract.Message:
    return contract.Message.model_validate(message, from_attributes=True)


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


def conversation_created(conversation: Conversation, *, origin: str | None) -> Envelope:
    return Envelope.of(
        contract.ConversationCreated(conversation=_conversation(conversation)),
        account_id=conversation.account_id,
        key=conversation.id,
        audience=[
            Audience.inbox(conversation.inbox_id),
            Audience.visitor(conversation.visitor_id),
            SUPERVISORS,
        ],
        origin=origin,
    )


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
    agents = [conversation.assignee_id, previous_assignee_id, *also, *participants]
    payload = contract.ConversationAssigned(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        assignee_id=conversation.assignee_id,
        previous_assignee_id=previous_assignee_id,
        reason=reason,
        conversation=_conversation(conversation),
    )
    return Envelope.of(
        payload,
        account_id=conversation.account_id,
        key=conversation.id,
        audience=[
            *(Audience.agent(agent) for agent in agents if agent is not None),
            Audience.inbox(conversation.inbox_id),
            Audience.visitor(conversation.visitor_id),
            SUPERVISORS,
        ],
        origin=origin,
    )


def _agents(conversation: Conversation, participants: Sequence[UUID]) -> list[str]:
    """The assignee, then every participant and monitor of the conversation."""
    agents = [conversation.assignee_id, *participants]
    return [Audience.agent(agent) for agent in agents if agent is not None]


def status_changed(
    conversation: Conversation,
    *,
    previous_status: str,
    participants: Sequence[UUID],
    origin: str | None,
) -> Envelope:
    payload = contract.ConversationStatusChanged(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        status=conversation.status,
        previous_status=previous_status,
        snoozed_until=conversation.snoozed_until,
        assignee_id=conversation.assignee_id,
    )
    return Envelope.of(
        payload,
        account_id=conversation.account_id,
        key=conversation.id,
        audience=[
            *_agents(conversation, participants),
            Audience.inbox(conversation.inbox_id),
            Audience.visitor(conversation.visitor_id),
            SUPERVISORS,
        ],
        origin=origin,
    )


def message_created(
    conversation: Conversation,
    message: Message,
    *,
    participants: Sequence[UUID],
    also: Sequence[UUID] = (),
    origin: str | None,
) -> Envelope:
    """A private note (and every system message) never names the visitor in its audience.

    Supervisors are not told every message of the account: they hear a conversation as
    members of its inbox, or by monitoring it. ``also``: more agents to tell (those a system
    message is about).
    """
    audience = [
        *_agents(conversation, participants),
        *(Audience.agent(agent) for agent in also),
        Audience.inbox(conversation.inbox_id),
    ]
    if not message.private:
        audience.append(Audience.visitor(conversation.visitor_id))
    payload = contract.MessageCreated(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        message=_message(message),
    )
    return Envelope.of(
        payload,
        account_id=conversation.account_id,
        key=conversation.id,
        audience=audience,
        origin=origin,
    )


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
