"""Every event type is one frozen model, found by its producer and type."""

import uuid

import pytest
from pydantic import ValidationError

from switchboard.contracts.catalogue import EVENTS, find
from switchboard.contracts.chat import VisitorSessionRevoked
from switchboard.contracts.routing import AgentSessionRevoked, OfferWithdrawn, TeamCreated


def test_each_producer_and_type_has_one_model() -> None:
    addresses = [(event.source, event.type) for event in EVENTS]
    assert len(addresses) == len(set(addresses))
    assert find("routing", "session.revoked") is AgentSessionRevoked
    assert find("chat", "session.revoked") is VisitorSessionRevoked
    assert find("chat", "offer.created") is None


def test_every_event_says_what_its_key_is_and_is_documented() -> None:
    for event in EVENTS:
        assert event.ordered_by, event
        assert event.__doc__ and event.__doc__.strip(), event
        assert event.model_config.get("frozen") is True, event


def test_an_event_is_frozen_and_checks_its_values() -> None:
    team = TeamCreated(team_id=uuid.uuid4(), name="Billing", fallback_team_id=None)
    with pytest.raises(ValidationError):
        team.name = "Sales"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        OfferWithdrawn(
            offer_id=uuid.uuid4(), conversation_id=uuid.uuid4(), reason="lost", winner_id=None
        )
