"""Accounts made by the CLI, and the inbox projection fed by chat's events."""

import uuid

import pytest

from switchboard.core.errors import Conflict, NotFound
from switchboard.routing.directory.service.accounts import create_account
from switchboard.routing.directory.service.auth import login
from switchboard.routing.directory.service.memberships import add_inbox_member


async def test_create_account_makes_an_admin_who_can_log_in(routing_kit):
    email = f"Owner-{uuid.uuid4().hex[:8]}@Example.com"
    created = await create_account(
        routing_kit.runtime,
        name="Shop",
        admin_name="Owner",
        admin_email=email,
        admin_password="a long password",
    )

    pair = await login(routing_kit.runtime, email=email, password="a long password")
    assert pair.access_token and pair.refresh_token
    announced = await routing_kit.routing_events(created.account_id, "agent.created")
    assert [e.data for e in announced] == [
        {
            "agent_id": str(created.admin_id),
            "name": "Owner",
            "email": email.lower(),
            "role": "admin",
        }
    ]
    assert announced[0].audience == ["role:admin"]

    with pytest.raises(Conflict):
        await create_account(
            routing_kit.runtime,
            name="Copy",
            admin_name="Copy",
            admin_email=email.lower(),
            admin_password="a long password",
        )


async def test_an_inbox_id_of_another_account_cannot_be_taken_over(routing_kit):
    admin = await routing_kit.new_account()
    intruder = await routing_kit.new_account()
    inbox_id = uuid.uuid4()
    await routing_kit.handle(routing_kit.inbox_created(admin.account_id, inbox_id, "Mine"))

    await routing_kit.handle(routing_kit.inbox_created(intruder.account_id, inbox_id, "Theirs"))
    with pytest.raises(NotFound):
        await routing_kit.add_member(intruder, inbox_id, inbox_name="Theirs")
    await add_inbox_member(
        routing_kit.runtime, account_id=admin.account_id, inbox_id=inbox_id, agent_id=admin.id
    )
