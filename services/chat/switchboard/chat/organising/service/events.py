"""The envelopes of organising (the models are ``switchboard.contracts.chat``).

Labels and priority are internal: their events reach the conversation's agents, its inbox and
the supervisors, never the visitor. A star is the agent's own; a read reaches the reader's
other devices, and a visitor's reaches the agents too (his "seen").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from switchboard.chat.organising.domain.reading import ReaderType
from switchboard.chat.service.events import agents_of, of_conversation
from switchboard.chat.store.models import Conversation, Label
from switchboard.contracts import chat as contract
from switchboard.contracts.values import Audience, ConversationPriority
from switchboard.core.events import Envelope


def label_model(label: Label) -> contract.Label:
    return contract.Label.model_validate(label)


def _of_label(label: Label, payload: contract.ChatEvent, origin: str | None) -> Envelope:
    return Envelope.of(
        payload,
        account_id=label.account_id,
        key=label.id,
        audience=[Audience.role("agent")],
        origin=origin,
    )


def label_created(label: Label, *, origin: str | None) -> Envelope:
    return _of_label(label, contract.LabelCreated(label=label_model(label)), origin)


def label_updated(label: Label, *, origin: str | None) -> Envelope:
    return _of_label(label, contract.LabelUpdated(label=label_model(label)), origin)


def label_deleted(label: Label, *, origin: str | None) -> Envelope:
    return _of_label(label, contract.LabelDeleted(label_id=label.id), origin)


def _internal(conversation: Conversation, participants: Sequence[UUID]) -> list[str]:
    """The conversation's agents, its inbox and the supervisors: never the visitor."""
    return [
        *agents_of(conversation, participants),
        Audience.inbox(conversation.inbox_id),
        Audience.role("supervisor"),
    ]


def labels_changed(
    conversation: Conversation,
    *,
    labels: Sequence[Label],
    added: Sequence[UUID],
    removed: Sequence[UUID],
    by: UUID,
    participants: Sequence[UUID],
    origin: str | None,
) -> Envelope:
    payload = contract.ConversationLabelsChanged(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        labels=[label_model(label) for label in labels],
        added=list(added),
        removed=list(removed),
        changed_by_agent_id=by,
    )
    return of_conversation(conversation, payload, _internal(conversation, participants), origin)


def priority_changed(
    conversation: Conversation,
    *,
    previous: ConversationPriority,
    by: UUID,
    participants: Sequence[UUID],
    origin: str | None,
) -> Envelope:
    payload = contract.ConversationPriorityChanged(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        priority=ConversationPriority(conversation.priority),
        previous_priority=previous,
        changed_by_agent_id=by,
    )
    return of_conversation(conversation, payload, _internal(conversation, participants), origin)


def team_changed(
    conversation: Conversation,
    *,
    previous_team_id: UUID | None,
    team_id: UUID,
    by: UUID | None,
    participants: Sequence[UUID],
    origin: str | None,
) -> Envelope:
    payload = contract.ConversationTeamChanged(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        team_id=team_id,
        previous_team_id=previous_team_id,
        changed_by_agent_id=by,
    )
    return of_conversation(conversation, payload, _internal(conversation, participants), origin)


def star_changed(
    conversation: Conversation, *, agent_id: UUID, starred: bool, origin: str | None
) -> Envelope:
    payload = contract.ConversationStarChanged(
        conversation_id=conversation.id, agent_id=agent_id, starred=starred
    )
    return of_conversation(conversation, payload, [Audience.agent(agent_id)], origin)


def read_moved(
    conversation: Conversation,
    *,
    reader_type: ReaderType,
    reader_id: UUID,
    message_id: UUID,
    participants: Sequence[UUID],
    origin: str | None,
    at: datetime,
) -> Envelope:
    payload = contract.ReadPositionMoved(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        reader_type=reader_type,
        reader_id=reader_id,
        last_read_message_id=message_id,
        read_at=at,
    )
    if reader_type == "agent":
        audience = [Audience.agent(reader_id)]
    else:
        audience = [
            Audience.visitor(reader_id),
            *agents_of(conversation, participants),
            Audience.inbox(conversation.inbox_id),
        ]
    return of_conversation(conversation, payload, audience, origin)
