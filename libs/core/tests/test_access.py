"""The one rule of who sees and writes a conversation, tested as a table."""

from __future__ import annotations

import uuid

import pytest

from switchboard.core.access import Access, Involvement, Relation, conversation_access
from switchboard.core.auth import Principal, Role


def caller(role: Role | None, kind: str = "agent") -> Principal:
    return Principal(kind=kind, id=uuid.uuid4(), account_id=uuid.uuid4(), role=role)


NOTHING = Relation()
MEMBER = Relation(inbox_member=True)
ASSIGNEE = Relation(assignee=True)
HELPER = Relation(involvement="participant")
WATCHER = Relation(involvement="monitor")
INVITEE = Relation(involvement="invitee")


@pytest.mark.parametrize(
    ("relation", "granted"),
    [
        (NOTHING, Access.none),
        (MEMBER, Access.write),
        (ASSIGNEE, Access.write),
        (HELPER, Access.write),
        (WATCHER, Access.read),
        (INVITEE, Access.read),
        (Relation(inbox_member=True, involvement="monitor"), Access.write),
    ],
)
def test_an_agent_gets_what_his_relation_gives(relation: Relation, granted: Access) -> None:
    assert conversation_access(caller(Role.agent), relation) is granted


@pytest.mark.parametrize("role", [Role.supervisor, Role.admin])
@pytest.mark.parametrize("relation", [NOTHING, WATCHER, MEMBER])
def test_supervisors_and_admins_write_the_whole_account(role: Role, relation: Relation) -> None:
    assert conversation_access(caller(role), relation) is Access.write


def test_a_visitor_is_never_granted_an_agents_access() -> None:
    assert conversation_access(caller(None, kind="visitor"), MEMBER) is Access.none


@pytest.mark.parametrize(
    ("kind", "invited", "involvement"),
    [
        ("participant", False, "participant"),
        ("monitor", True, "monitor"),  # taking part outranks an invitation
        (None, True, "invitee"),
        (None, False, None),
    ],
)
def test_a_query_row_becomes_a_relation(
    kind: str | None, invited: bool, involvement: Involvement | None
) -> None:
    relation = Relation.of(inbox_member=0, assignee=None, kind=kind, invited=invited)
    assert relation == Relation(involvement=involvement)
