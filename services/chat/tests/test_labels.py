"""Labels: the account's (supervisors and admins manage them, every agent reads them), and the
labels on a conversation (any agent who may write it), with their events and history lines.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from sqlalchemy import text

from switchboard.contracts.routing import ParticipantAdded
from switchboard.core.auth import Role
from switchboard.core.db import Database
from switchboard.core.events import Audience

from .conftest import ChatAccount, error_code


async def create_label(
    account: ChatAccount, name: str, colour: str = "#1E88E5", **extra: Any
) -> dict[str, Any]:
    response = await account.client.post(
        "/v1/labels", json={"name": name, "colour": colour, **extra}, headers=account.supervisor
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def labelled(account: ChatAccount) -> tuple[str, dict[str, str]]:
    """A conversation of a new visitor (its id) and the visitor's headers."""
    _, visitor = await account.create_visitor()
    conversation = await account.open_conversation(visitor, "my parcel is late")
    return str(conversation["id"]), visitor


async def labels_on(account: ChatAccount, cid: str) -> list[str]:
    detail = await account.client.get(f"/v1/conversations/{cid}", headers=account.agent)
    assert detail.status_code == 200, detail.text
    return [label["name"] for label in detail.json()["labels"]]


async def waits_for(db: Database, pid: int) -> None:
    """Until a statement of another connection waits for the locks of the backend ``pid``."""
    blocked = text(
        "SELECT count(*) FROM pg_locks WHERE NOT granted AND :pid = ANY(pg_blocking_pids(pid))"
    )
    async with db.autocommit() as watching:
        for _ in range(1000):
            if await watching.scalar(blocked, {"pid": pid}):
                return
            await asyncio.sleep(0.01)
    raise AssertionError("nothing waited for the deletion")


async def system_lines(account: ChatAccount, cid: str) -> list[str]:
    response = await account.client.get(
        f"/v1/conversations/{cid}/messages", params={"limit": 100}, headers=account.agent
    )
    items = reversed(response.json()["items"])
    return [m["content"] for m in items if m["sender_type"] == "system"]


class TestLabelsOfTheAccount:
    async def test_supervisors_manage_labels_and_every_agent_reads_them(
        self, chat_account: ChatAccount
    ) -> None:
        label = await create_label(chat_account, "Logistics", "#1E88E5")
        assert (label["name"], label["colour"]) == ("Logistics", "#1e88e5")
        await create_label(chat_account, "After-sales")

        listed = await chat_account.client.get("/v1/labels", headers=chat_account.agent)
        assert [i["name"] for i in listed.json()["items"]] == ["Logistics", "After-sales"]
        by_agent = await chat_account.client.post(
            "/v1/labels", json={"name": "Mine", "colour": "#000000"}, headers=chat_account.agent
        )
        assert by_agent.status_code == 403
        renamed = await chat_account.client.patch(
            f"/v1/labels/{label['id']}", json={"colour": "#00AA00"}, headers=chat_account.admin
        )
        assert renamed.json()["colour"] == "#00aa00"

        [created, _] = await chat_account.events("label.created")
        assert created.audience == [Audience.role("agent")]
        assert created.data == {
            "label": {"id": label["id"], "name": "Logistics", "colour": "#1e88e5"}
        }
        [updated] = await chat_account.events("label.updated")
        assert updated.data["label"]["colour"] == "#00aa00"

    async def test_a_name_is_unique_in_the_account_only(
        self, chat_account: ChatAccount, chat_other_account: ChatAccount
    ) -> None:
        first = await create_label(chat_account, "Pre-purchase")
        again = await chat_account.client.post(
            "/v1/labels",
            json={"name": " Pre-purchase ", "colour": "#123456"},
            headers=chat_account.supervisor,
        )
        assert (again.status_code, error_code(again)) == (409, "label_name_taken")
        other = await create_label(chat_account, "Other")
        clash = await chat_account.client.patch(
            f"/v1/labels/{other['id']}",
            json={"name": "Pre-purchase"},
            headers=chat_account.supervisor,
        )
        assert (clash.status_code, error_code(clash)) == (409, "label_name_taken")
        await create_label(chat_other_account, "Pre-purchase")  # another account: its own

        raced = await asyncio.gather(
            *(
                chat_account.client.post(
                    "/v1/labels",
                    json={"name": "Raced", "colour": "#123456"},
                    headers=chat_account.supervisor,
                )
                for _ in range(3)
            )
        )
        assert sorted(r.status_code for r in raced) == [201, 409, 409]
        listed = await chat_account.client.get("/v1/labels", headers=chat_account.agent)
        names = [i["name"] for i in listed.json()["items"]]
        assert names == ["Pre-purchase", "Other", "Raced"]
        assert first["id"] in {i["id"] for i in listed.json()["items"]}

    async def test_bad_labels_are_422_and_another_accounts_label_is_404(
        self, chat_account: ChatAccount, chat_other_account: ChatAccount
    ) -> None:
        for body in (
            {"name": "x", "colour": "red"},
            {"name": "x", "colour": "#12345"},
            {"name": "  ", "colour": "#123456"},
            {"name": "x" * 51, "colour": "#123456"},
        ):
            response = await chat_account.client.post(
                "/v1/labels", json=body, headers=chat_account.supervisor
            )
            assert response.status_code == 422, body
        theirs = await create_label(chat_other_account, "Theirs")
        for method in ("PATCH", "DELETE"):
            response = await chat_account.client.request(
                method,
                f"/v1/labels/{theirs['id']}",
                json={"name": "Mine"} if method == "PATCH" else None,
                headers=chat_account.supervisor,
            )
            assert (response.status_code, error_code(response)) == (404, "label_not_found")

    async def test_a_deleted_label_leaves_every_conversation(
        self, chat_account: ChatAccount
    ) -> None:
        label = await create_label(chat_account, "Gone")
        cid, _ = await labelled(chat_account)
        await chat_account.client.put(
            f"/v1/conversations/{cid}/labels/{label['id']}", headers=chat_account.agent
        )
        deleted = await chat_account.client.delete(
            f"/v1/labels/{label['id']}", headers=chat_account.supervisor
        )
        assert deleted.status_code == 204
        assert await labels_on(chat_account, cid) == []
        [event] = await chat_account.events("label.deleted")
        assert event.data == {"label_id": label["id"]}


class TestLabelsOnAConversation:
    async def test_add_remove_and_replace_with_events_and_history(
        self, chat_account: ChatAccount
    ) -> None:
        await chat_account.announce_agent(chat_account.agent_id, name="Lan")
        logistics = await create_label(chat_account, "Logistics")
        after_sales = await create_label(chat_account, "After-sales")
        cid, visitor = await labelled(chat_account)
        path = f"/v1/conversations/{cid}/labels"

        added = await chat_account.client.put(
            f"{path}/{logistics['id']}", headers=chat_account.agent
        )
        assert added.status_code == 200
        assert added.json() == {
            "items": [{"id": logistics["id"], "name": "Logistics", "colour": "#1e88e5"}]
        }
        again = await chat_account.client.put(
            f"{path}/{logistics['id']}", headers=chat_account.agent
        )
        assert [i["name"] for i in again.json()["items"]] == ["Logistics"]
        replaced = await chat_account.client.put(
            path, json={"label_ids": [after_sales["id"]]}, headers=chat_account.agent
        )
        assert [i["name"] for i in replaced.json()["items"]] == ["After-sales"]
        removed = await chat_account.client.delete(
            f"{path}/{after_sales['id']}", headers=chat_account.agent
        )
        assert removed.status_code == 204
        assert await labels_on(chat_account, cid) == []

        assert await system_lines(chat_account, cid) == [
            "Lan added the label Logistics",
            "Lan added the label After-sales",
            "Lan removed the label Logistics",
            "Lan removed the label After-sales",
        ]
        changes = await chat_account.events("conversation.labels_changed")
        assert len(changes) == 3  # the repeated add changed nothing
        assert changes[1].data["added"] == [after_sales["id"]]
        assert changes[1].data["removed"] == [logistics["id"]]
        assert changes[1].data["changed_by_agent_id"] == str(chat_account.agent_id)
        mine = await chat_account.client.get("/v1/public/conversations", headers=visitor)
        visitor_id = mine.json()["items"][0]["visitor_id"]
        for event in changes:
            assert Audience.visitor(visitor_id) not in event.audience
            assert Audience.inbox(chat_account.inbox["id"]) in event.audience
            assert Audience.role("supervisor") in event.audience
        public = await chat_account.client.get(
            f"/v1/public/conversations/{cid}/messages", headers=visitor
        )
        assert [m["sender_type"] for m in public.json()["items"]] == ["visitor"]

    async def test_an_unknown_label_changes_nothing(
        self, chat_account: ChatAccount, chat_other_account: ChatAccount
    ) -> None:
        mine = await create_label(chat_account, "Mine")
        theirs = await create_label(chat_other_account, "Theirs")
        cid, _ = await labelled(chat_account)
        path = f"/v1/conversations/{cid}/labels"
        for response in (
            await chat_account.client.put(f"{path}/{theirs['id']}", headers=chat_account.agent),
            await chat_account.client.put(
                path, json={"label_ids": [mine["id"], theirs["id"]]}, headers=chat_account.agent
            ),
            await chat_account.client.put(f"{path}/{uuid.uuid4()}", headers=chat_account.agent),
        ):
            assert (response.status_code, error_code(response)) == (404, "label_not_found")
        assert await labels_on(chat_account, cid) == []
        assert await system_lines(chat_account, cid) == []
        assert await chat_account.events("conversation.labels_changed") == []

    async def test_a_label_deleted_while_it_is_put_on_is_404(
        self, chat_account: ChatAccount
    ) -> None:
        """The deletion commits while the label is being put on: the label is gone (404), not
        a foreign key that fails the put (a 500)."""
        label = await create_label(chat_account, "Fleeting")
        cid, _ = await labelled(chat_account)
        db = chat_account.service.runtime.db
        async with db.engine.connect() as deleting:
            await deleting.execute(
                text("DELETE FROM chat.label WHERE id = :id"), {"id": uuid.UUID(label["id"])}
            )
            pid = await deleting.scalar(text("SELECT pg_backend_pid()"))
            putting = asyncio.create_task(
                chat_account.client.put(
                    f"/v1/conversations/{cid}/labels/{label['id']}", headers=chat_account.agent
                )
            )
            await waits_for(db, pid)
            await deleting.commit()
        response = await putting
        assert (response.status_code, error_code(response)) == (404, "label_not_found")
        assert await labels_on(chat_account, cid) == []

    async def test_who_may_label_a_conversation(self, chat_account: ChatAccount) -> None:
        label = await create_label(chat_account, "Urgent case")
        cid, _ = await labelled(chat_account)
        path = f"/v1/conversations/{cid}/labels/{label['id']}"
        outsider = chat_account.headers(uuid.uuid4())
        assert (await chat_account.client.put(path, headers=outsider)).status_code == 404
        monitor = uuid.uuid4()
        await chat_account.deliver(
            ParticipantAdded(conversation_id=cid, agent_id=monitor, kind="monitor"), key=cid
        )
        watching = await chat_account.client.put(path, headers=chat_account.headers(monitor))
        assert (watching.status_code, error_code(watching)) == (403, "read_only")
        supervisor = await chat_account.client.put(
            path, headers=chat_account.headers(uuid.uuid4(), Role.supervisor)
        )
        assert supervisor.status_code == 200
