"""Who sees a quick reply and who manages it.

Rules:

- a reply is seen by the whole account (``account``), by the members of one or more teams
  (``team``; supervisors and admins see every team's), or by its author alone (``personal``,
  not even an admin sees another's);
- admins manage (create, change, delete) the account's and the teams' replies; anyone manages
  his own personal ones; a reply the caller cannot see is answered as one that does not exist;
- a change that moves a reply from one visibility to another needs the right to manage both;
- ``team`` names at least one team; the other visibilities name none;
- a change of who sees a reply is told to each agent as what it is to him: those who no
  longer see it lose it (deleted), those who still do see it changed (updated), those who
  newly do gain it (created). An agent whose role chat does not know yet counts as seeing
  every team's: he is told of a change rather than losing a reply he may still see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from uuid import UUID

from switchboard.contracts.values import Role

__all__ = [
    "AudienceRefusal",
    "AudienceRefused",
    "Colleague",
    "Manager",
    "Reach",
    "Seen",
    "Viewer",
    "Visibility",
    "check_audience",
    "check_manages",
    "reach_of_change",
    "sees",
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


@dataclass(frozen=True)
class Colleague(Viewer):
    """An agent of the account as a reply's audience counts him: a viewer with his teams."""

    team_ids: frozenset[UUID] = field(default_factory=frozenset)

    @classmethod
    def of(cls, agent_id: UUID, role: str | None, team_ids: Iterable[UUID] = ()) -> Colleague:
        """``role`` None (not known yet) counts as one who sees every team's."""
        every_team = role is None or Role(role).rank >= Role.supervisor.rank
        return cls(id=agent_id, every_team=every_team, team_ids=frozenset(team_ids))


@dataclass(frozen=True)
class Seen:
    """Whom a reply is for: its visibility, its author and its teams."""

    visibility: Visibility
    owner_id: UUID
    team_ids: frozenset[UUID]


def sees(colleague: Colleague, reply: Seen) -> bool:
    """Whether ``colleague`` sees ``reply`` (the rules above; the store's query is the same)."""
    if reply.visibility is Visibility.account:
        return True
    if reply.visibility is Visibility.personal:
        return colleague.id == reply.owner_id
    return colleague.every_team or not colleague.team_ids.isdisjoint(reply.team_ids)


@dataclass(frozen=True)
class Reach:
    """What a change of a reply's audience is to each agent: ``lost`` (he saw it, no longer
    does), ``kept`` (he saw it and still does), ``gained`` (he newly sees it)."""

    lost: list[UUID]
    kept: list[UUID]
    gained: list[UUID]


def reach_of_change(colleagues: Iterable[Colleague], before: Seen, after: Seen) -> Reach:
    """Who loses, keeps and gains the reply among ``colleagues``, each in the order given."""
    reach = Reach(lost=[], kept=[], gained=[])
    for colleague in colleagues:
        saw, sees_now = sees(colleague, before), sees(colleague, after)
        if saw and sees_now:
            reach.kept.append(colleague.id)
        elif saw:
            reach.lost.append(colleague.id)
        elif sees_now:
            reach.gained.append(colleague.id)
    return reach
