"""Envelopes of typed events: built from a model, read back as one."""

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from switchboard.contracts.chat import Message, MessageCreated, VisitorCreated
from switchboard.contracts.values import Audience
from switchboard.core.events import Envelope


def message_created(at: datetime) -> MessageCreated:
    conversation_id = uuid.uuid4()
    message = Message(
        id=uuid.uuid4(),
        conversation_id=conversation_id,
        sender_type="visitor",
        sender_id=uuid.uuid4(),
        content="Xin chào",
        private=False,
        client_message_id=None,
        created_at=at,
    )
    return MessageCreated(conversation_id=conversation_id, inbox_id=uuid.uuid4(), message=message)


def test_an_envelope_carries_its_models_type_source_version_and_fields() -> None:
    at = datetime(2026, 5, 1, 15, 30, tzinfo=timezone(timedelta(hours=7)))
    payload = message_created(at)
    agent = Audience.agent(uuid.uuid4())
    envelope = Envelope.of(
        payload,
        account_id=uuid.uuid4(),
        key=payload.conversation_id,
        audience=[agent, Audience.inbox(payload.inbox_id), agent],
        origin="c-1:r-2",
    )

    assert (envelope.type, envelope.source, envelope.version) == ("message.created", "chat", 2)
    assert envelope.audience == [agent, Audience.inbox(payload.inbox_id)]  # no repeats
    assert envelope.data == {
        "conversation_id": str(payload.conversation_id),
        "inbox_id": str(payload.inbox_id),
        "message": {
            "id": str(payload.message.id),
            "conversation_id": str(payload.conversation_id),
            "sender_type": "visitor",
            "sender_id": str(payload.message.sender_id),
            "content": "Xin chào",
            "private": False,
            "client_message_id": None,
            "created_at": "2026-05-01T08:30:00Z",  # in UTC, whatever the zone it came in
            "kind": "text",
            "payload": None,
            "deleted_at": None,
            "mentions": [],
            "attachments": [],
        },
    }
    decoded = Envelope.decode(envelope.encode())
    assert decoded == envelope
    assert decoded.payload(MessageCreated) == payload
    assert payload.message.created_at.tzinfo is UTC


def test_an_envelope_is_not_read_as_another_event() -> None:
    payload = message_created(datetime.now(UTC))
    envelope = Envelope.of(payload, account_id=uuid.uuid4(), key=payload.conversation_id)
    assert envelope.is_a(MessageCreated) and not envelope.is_a(VisitorCreated)
    with pytest.raises(ValueError, match="not a VisitorCreated"):
        envelope.payload(VisitorCreated)


def test_a_version_1_message_created_still_reads() -> None:
    """Version 1 repeated the message's content, sender and privacy at the top: ignored."""
    payload = message_created(datetime.now(UTC))
    current = Envelope.of(payload, account_id=uuid.uuid4(), key=payload.conversation_id)
    message = current.data["message"]
    old = current.model_copy(
        update={
            "version": 1,
            "data": current.data
            | {key: message[key] for key in ("content", "sender_type", "sender_id", "private")},
        }
    )
    assert old.payload(MessageCreated) == payload
