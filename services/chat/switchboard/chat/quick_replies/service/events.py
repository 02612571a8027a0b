"""The envelopes of quick replies: each to whoever may see the reply."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from switchboard.chat.quick_replies.domain.audience import Reach, Visibility
from switchboard.chat.quick_replies.store.models import CannedResponse
from switchboard.contracts import chat as contract
from switchboard.contracts.values import Audience
from switchboard.core.events import Envelope


def reply(response: CannedResponse, team_ids: Sequence[UUID]) -> contract.CannedResponse:
    return contract.CannedResponse.model_validate(
        {
            "id": response.id,
            "shortcut": response.shortcut,
            "title": response.title,
            "content": response.content,
            "visibility": response.visibility,
            "team_ids": list(team_ids),
            "owner_id": response.owner_id,
            "created_at": response.created_at,
            "updated_at": response.updated_at,
        }
    )


def _about(
    response: CannedResponse, payload: contract.ChatEvent, audience: list[str], origin: str | None
) -> Envelope:
    return Envelope.of(
        payload, account_id=response.account_id, key=response.id, audience=audience, origin=origin
    )


def created(
    response: CannedResponse, team_ids: Sequence[UUID], audience: list[str], origin: str | None
) -> Envelope:
    payload = contract.CannedResponseCreated(canned_response=reply(response, team_ids))
    return _about(response, payload, audience, origin)


def updated(
    response: CannedResponse, team_ids: Sequence[UUID], audience: list[str], origin: str | None
) -> Envelope:
    payload = contract.CannedResponseUpdated(canned_response=reply(response, team_ids))
    return _about(response, payload, audience, origin)


def deleted(response: CannedResponse, audience: list[str], origin: str | None) -> Envelope:
    payload = contract.CannedResponseDeleted(canned_response_id=response.id)
    return _about(response, payload, audience, origin)


def reach_changed(
    response: CannedResponse, team_ids: Sequence[UUID], reach: Reach, origin: str | None
) -> list[Envelope]:
    """Whom the reply is for changed: ``deleted`` to those who no longer see it (it leaves
    their lists), ``updated`` to those who still do, ``created`` to those who newly do (it
    joins their lists); each agent hears one of them, and no event has an empty audience."""
    envelopes = []
    if reach.lost:
        envelopes.append(deleted(response, _agents(reach.lost), origin))
    if reach.kept:
        envelopes.append(updated(response, team_ids, _agents(reach.kept), origin))
    if reach.gained:
        envelopes.append(created(response, team_ids, _agents(reach.gained), origin))
    return envelopes


def _agents(agent_ids: Sequence[UUID]) -> list[str]:
    return [Audience.agent(agent_id) for agent_id in agent_ids]


def everyone_who_sees(response: CannedResponse, members: Sequence[UUID]) -> list[str]:
    """The audience of a reply: the account's agents, its teams' ``members`` and the
    supervisors, or its author."""
    visibility = Visibility(response.visibility)
    if visibility is Visibility.account:
        return [Audience.role("agent")]
    if visibility is Visibility.team:
        return [*(Audience.agent(member) for member in members), Audience.role("supervisor")]
    return [Audience.agent(response.owner_id)]
