"""Who sees a quick reply and who manages it.

Rules:

- a reply is seen by the whole account (``account``), by the members of one or more teams
  (``team``; supervisors and admins see every team's), or by its author alone (``personal``,
  not even an admin sees another's);
- admins manage (create, change, delete) the account's and the teams' replies; anyone manages
  his own personal ones; a reply the caller cannot see is answered as one that does not exist;
- a change that moves a reply from one visibility to another needs the right to manage both;
- ``team`` names at least one team; the other visibilities name none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from uuid import UUID

__all__ = [
    "AudienceRefusal",
    "AudienceRefused",
    "Manager",
    "Viewer",
    "Visibility",
    "check_audience",
    "check_manages",
]


class Visibility(StrEnum):
    account = "account"
    team = "team"
    personal = "personal"


class AudienceRefusal(Enum):
    shared_response_admin_only = "shared_response_admin_only"
    team_ids_required = "team_ids_required"
    team_ids_not_allowed = "team_ids_not_allowed"


class AudienceRefused(Exception):
    def __init__(self, refusal: AudienceRefusal, message: str) -> None:
        super().__init__(message)
        self.refusal = refusal


@dataclass(frozen=True)
class Manager:
    """Who changes replies: his id and whether he is an admin."""

    id: UUID
    admin: bool


def check_manages(manager: Manager, visibility: Visibility) -> None:
    """Raises ``AudienceRefused`` unless ``manager`` may manage replies of ``visibility``
    (a personal one is always his own: the caller sees no one else's)."""
    if visibility is not Visibility.personal and not manager.admin:
        raise AudienceRefused(
            AudienceRefusal.shared_response_admin_only,
            f"only admins manage {visibility.value}-wide quick replies",
        )


def check_audience(visibility: Visibility, team_ids: Sequence[UUID]) -> list[UUID]:
    """The teams of a reply of ``visibility`` (each once); raises ``AudienceRefused`` when
    they do not fit it."""
    if visibility is Visibility.team and not team_ids:
        raise AudienceRefused(
            AudienceRefusal.team_ids_required, "a team-wide quick reply names at least one team"
        )
    if visibility is not Visibility.team and team_ids:
        raise AudienceRefused(
            AudienceRefusal.team_ids_not_allowed,
            f"a {visibility.value} quick reply names no teams (team_ids is for 'team')",
        )
    return list(dict.fromkeys(team_ids))


@dataclass(frozen=True)
class Viewer:
    """Who looks at replies: his id, and whether he sees every team's (a supervisor or an
    admin) or only his own teams'."""

    id: UUID
    every_team: bool
