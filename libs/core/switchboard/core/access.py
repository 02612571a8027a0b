"""Who may see and write a conversation: one rule, applied by every service that serves one.

Supervisors and admins see and write every conversation of their account. An agent sees the
conversations of the inboxes he is a member of, plus those he is assigned to, invited into or
takes part in; he writes to them too, except where he only monitors or is only invited
(read-only until he joins). A private note that mentions him lets him read the conversation
(never write to it), where the service keeps that fact (chat does). The caller's account is
checked before this rule: another account's conversation is simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Literal
from uuid import UUID

from switchboard.core.auth import Principal, Role

if TYPE_CHECKING:
    from sqlalchemy import Executable
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["Access", "Involvement", "Relation", "conversation_access", "read_relation"]

# How an agent stands in a conversation besides membership and assignment.
Involvement = Literal["participant", "monitor", "invitee"]


class Access(IntEnum):
    none = 0
    read = 1
    write = 2


@dataclass(frozen=True)
class Relation:
    """What connects an agent to one conversation."""

    inbox_member: bool = False
    assignee: bool = False
    involvement: Involvement | None = None
    mentioned: bool = False

    @classmethod
    def of(
        cls,
        *,
        inbox_member: object,
        assignee: object,
        kind: str | None,
        invited: object,
        mentioned: object = False,
    ) -> Relation:
        """From a service's query: taking part (participant, monitor) outranks an invitation."""
        involvement: Involvement | None = None
        if kind in ("participant", "monitor"):
            involvement = "participant" if kind == "participant" else "monitor"
        elif invited:
            involvement = "invitee"
        return cls(
            inbox_member=bool(inbox_member),
            assignee=bool(assignee),
            involvement=involvement,
            mentioned=bool(mentioned),
        )


async def read_relation(
    session: AsyncSession,
    facts: Executable,
    account_id: UUID,
    conversation_id: UUID,
    agent_id: UUID,
) -> Relation | None:
    """How the agent stands in the conversation, read with a service's own query of the
    facts (``facts``: one row of inbox membership, assignment, participation kind and
    invitation, and optionally whether a note mentioned him, bound to ``:account_id``,
    ``:conversation_id`` and ``:agent_id``); None when the account has no such conversation."""
    params = {"account_id": account_id, "conversation_id": conversation_id, "agent_id": agent_id}
    row = (await session.execute(facts, params)).first()
    if row is None:
        return None
    member, assignee, kind, invited, *mentioned = row
    return Relation.of(
        inbox_member=member,
        assignee=assignee,
        kind=kind,
        invited=invited,
        mentioned=bool(mentioned and mentioned[0]),
    )


def conversation_access(caller: Principal, relation: Relation) -> Access:
    if caller.kind != "agent":
        return Access.none
    if caller.at_least(Role.supervisor):
        return Access.write
    if relation.inbox_member or relation.assignee or relation.involvement == "participant":
        return Access.write
    if relation.involvement in ("monitor", "invitee") or relation.mentioned:
        return Access.read
    return Access.none
