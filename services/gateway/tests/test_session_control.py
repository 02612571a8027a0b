"""Sockets follow the sessions: a token whose session moved on is refused at login, a live
socket closes when routing says its session ended, and an agent's live sockets start or stop
hearing an inbox as soon as his membership changes."""

from __future__ import annotations

import uuid

from switchboard.contracts.routing import AgentSessionRevoked, InboxMemberAdded, InboxMemberRemoved
from switchboard.core.events import Audience

from .conftest import Harness, agent


async def test_a_login_with_a_token_of_an_ended_session_is_refused(gw: Harness) -> None:
    account = uuid.uuid4()
    who = agent(account)
    sessions = gw.settings
    version_key = f"{{{sessions.key_prefix}}}:session:agent:{who.id}"
    await gw.redis.set(version_key, 3)
    client = await gw.connect("agent")
    answer = await client.request("login", {"token": gw.token(who)})
    assert not answer["ok"]
    assert answer["error"]["code"] == "session_changed"
    assert await client.wait_closed() == (4401, "session_changed")

    fresh = who.model_copy(update={"session_version": 3})
    assert (await gw.login(fresh)) is not None


async def test_session_revoked_closes_the_agents_old_sockets_only(gw: Harness) -> None:
    account = uuid.uuid4()
    who = agent(account)
    old = await gw.login(who)
    newer = await gw.login(who.model_copy(update={"session_version": 1}))
    bystander = await gw.login(agent(account))
    revoked = AgentSessionRevoked(
        agent_id=who.id, reason="role_changed", session_version=1, family_id=None
    )
    await gw.announce(revoked, account_id=account, key=who.id, audience=[Audience.agent(who.id)])
    pushed = await old.expect("session.revoked")
    assert pushed["data"]["reason"] == "role_changed"
    assert await old.wait_closed() == (4401, "session_changed")
    assert (await newer.request("ping"))["ok"]  # issued under the new version
    assert (await bystander.request("ping"))["ok"]


async def test_a_logout_closes_the_sockets_of_that_login(gw: Harness) -> None:
    account = uuid.uuid4()
    who = agent(account)
    laptop = await gw.login(who.model_copy(update={"family": "laptop"}))
    phone = await gw.login(who.model_copy(update={"family": "phone"}))
    revoked = AgentSessionRevoked(
        agent_id=who.id, reason="logged_out", session_version=0, family_id="laptop"
    )
    await gw.announce(revoked, account_id=account, key=who.id, audience=[Audience.agent(who.id)])
    assert await laptop.wait_closed() == (4403, "session_revoked")
    assert (await phone.request("ping"))["ok"]


async def test_membership_changes_what_a_live_socket_hears(gw: Harness) -> None:
    account = uuid.uuid4()
    who = agent(account)
    inbox = str(uuid.uuid4())
    client = await gw.login(who)

    async def inbox_news(text: str) -> None:
        await gw.publish(
            "chat",
            type="conversation.created",
            account_id=str(account),
            audience=[Audience.inbox(inbox)],
            data={"text": text},
        )

    async def membership(news: type[InboxMemberAdded | InboxMemberRemoved]) -> None:
        await gw.announce(
            news(inbox_id=inbox, agent_id=who.id),
            account_id=account,
            key=inbox,
            audience=[Audience.agent(who.id)],
        )

    await inbox_news("before")
    await membership(InboxMemberAdded)
    await client.expect("inbox.member_added")
    await inbox_news("member")
    await client.expect("conversation.created")
    await membership(InboxMemberRemoved)
    await client.expect("inbox.member_removed")
    await inbox_news("after")
    await gw.publish(  # on the same stream, after "after": once it is here, so would that be
        "chat",
        type="message.created",
        account_id=str(account),
        audience=[Audience.agent(who.id)],
        data={"text": "to the agent"},
    )
    await client.expect("message.created")
    assert [f["data"] for f in client.pushes("conversation.created")] == [{"text": "member"}]
