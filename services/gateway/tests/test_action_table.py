"""The action table: every action of the protocol has one handler, or the gateway won't start."""

from __future__ import annotations

import pytest
from pydantic import RootModel

from switchboard.gateway.domain.frames import ACTION_PAYLOADS, PingPayload
from switchboard.gateway.service.actions import (
    answers,
    availability,
    messaging,
    resume,
    session,
)
from switchboard.gateway.service.actions.dispatch import TABLE
from switchboard.gateway.service.actions.table import ActionRouter, ActionTable


def test_every_action_of_the_protocol_has_its_handler() -> None:
    for model in ACTION_PAYLOADS.values():
        # A union of payloads (send_message's kinds) is a RootModel: built without its root.
        built = (
            model.model_construct(None) if issubclass(model, RootModel) else model.model_construct()
        )
        assert TABLE.handler_for(built) is not None


def test_an_action_without_a_handler_is_refused() -> None:
    with pytest.raises(ValueError, match="resume"):
        ActionTable(session.router, messaging.router, availability.router, answers.router)


def test_an_action_handled_twice_is_refused() -> None:
    again = ActionRouter()
    again.action(PingPayload)(session.ping)
    with pytest.raises(ValueError, match="PingPayload"):
        ActionTable(
            session.router,
            messaging.router,
            availability.router,
            answers.router,
            resume.router,
            again,
        )
    with pytest.raises(ValueError, match="PingPayload"):
        again.action(PingPayload)(session.ping)
