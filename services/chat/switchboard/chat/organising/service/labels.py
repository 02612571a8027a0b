"""Use cases of labels: the account's labels (supervisors and admins manage them, every agent
reads them) and the labels on a conversation (any agent who may write it)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from switchboard.chat.domain import system_messages as wording
from switchboard.chat.errors import ConversationNotFound, LabelNameTaken, LabelNotFound
from switchboard.chat.organising.domain.labels import (
    LabelChange,
    plan_add,
    plan_remove,
    plan_replace,
)
from switchboard.chat.organising.service import events
from switchboard.chat.organising.store import labels as store
from switchboard.chat.service.messages import append_system_message
from switchboard.chat.store import agents as agent_store
from switchboard.chat.store import conversations as conversation_store
from switchboard.chat.store import participants as participant_store
from switchboard.chat.store.models import Conversation, Label, new_id
from switchboard.core.auth import Principal
from switchboard.core.events import utcnow
from switchboard.core.pagination import PageQuery, Rows
from switchboard.core.runtime import DatabaseRuntime
from switchboard.core.work import UnitOfWork


async def list_labels(
    runtime: DatabaseRuntime, *, account_id: UUID, page: PageQuery
) -> Rows[Label]:
    async with runtime.db.session() as session:
        return await store.page(session, account_id, page)


def _found(label: Label | None) -> Label:
    if label is None:
        raise LabelNotFound()
    return label


async def create_label(
    runtime: DatabaseRuntime, *, account_id: UUID, name: str, colour: str, origin: str | None
) -> Label:
    """A new label of the account; 409 ``label_name_taken`` when the name is used."""
    now = utcnow()
    try:
        async with runtime.work() as work:
            if await store.named(work.session, account_id, name) is not None:
                raise LabelNameTaken()
            label = Label(
                id=new_id(),
                account_id=account_id,
                name=name,
                colour=colour.lower(),
                created_at=now,
                updated_at=now,
            )
            work.session.add(label)
            await work.session.flush()
            await work.publish(events.label_created(label, origin=origin))
    except IntegrityError as exc:  # another request took the name meanwhile
        raise LabelNameTaken() from exc
    return label


async def update_label(
    runtime: DatabaseRuntime,
    *,
    account_id: UUID,
    label_id: UUID,
    name: str | None,
    colour: str | None,
    origin: str | None,
) -> Label:
    """Rename a label or give it another colour; nothing said, nothing changed."""
    try:
        async with runtime.work() as work:
            label = _found(await store.get(work.session, account_id, label_id, for_update=True))
            if name is not None and name != label.name:
                if await store.named(work.session, account_id, name) is not None:
                    raise LabelNameTaken()
                label.name = name
            if colour is not None:
                label.colour = colour.lower()
            if work.session.is_modified(label):
                label.updated_at = utcnow()
                await work.session.flush()
                await work.publish(events.label_updated(label, origin=origin))
    except IntegrityError as exc:
        raise LabelNameTaken() from exc
    return label


async def delete_label(
    runtime: DatabaseRuntime, *, account_id: UUID, label_id: UUID, origin: str | None
) -> None:
    """Delete a label: it leaves every conversation it was on."""
    async with runtime.work() as work:
        label = _found(await store.get(work.session, account_id, label_id, for_update=True))
        await store.remove(work.session, label)
        await work.publish(events.label_deleted(label, origin=origin))


async def set_label(
    runtime: DatabaseRuntime,
    *,
    agent: Principal,
    conversation_id: UUID,
    label_id: UUID,
    on: bool,
    origin: str | None,
) -> list[Label]:
    """Put the label on the conversation (``on``) or take it off (already so: nothing
    changes); its labels now."""
    plan = plan_add if on else plan_remove
    return await _change_labels(
        runtime,
        agent,
        conversation_id,
        [label_id],
        lambda current: plan(current, label_id),
        origin=origin,
    )


async def replace_labels(
    runtime: DatabaseRuntime,
    *,
    agent: Principal,
    conversation_id: UUID,
    label_ids: Sequence[UUID],
    origin: str | None,
) -> list[Label]:
    """Leave exactly these labels on the conversation."""
    return await _change_labels(
        runtime,
        agent,
        conversation_id,
        label_ids,
        lambda current: plan_replace(current, label_ids),
        origin=origin,
    )


async def _change_labels(
    runtime: DatabaseRuntime,
    agent: Principal,
    conversation_id: UUID,
    named: Collection[UUID],
    plan: Callable[[set[UUID]], LabelChange],
    *,
    origin: str | None,
) -> list[Label]:
    """One change of a conversation's labels: the conversation locked (so two changes are one
    after the other), every named label the account's (else 404), a history line per label
    added or removed, one ``conversation.labels_changed``."""
    now = utcnow()
    async with runtime.work() as work:
        session = work.session
        conversation = await conversation_store.lock(session, agent.account_id, conversation_id)
        if conversation is None:
            raise ConversationNotFound()
        known = await store.of_account(session, agent.account_id, set(named))
        if len(known) != len(set(named)):
            raise LabelNotFound()
        current = {
            label.id: label
            for label in await store.on_conversation(session, agent.account_id, conversation_id)
        }
        change = plan(set(current))
        if not change.changed:
            return list(current.values())
        await store.detach(session, agent.account_id, conversation_id, change.removed)
        await store.attach(
            session,
            account_id=agent.account_id,
            conversation_id=conversation_id,
            label_ids=change.added,
            at=now,
        )
        await _write_history(work, agent, conversation, change, {**current, **known}, now=now)
        labels = await store.on_conversation(session, agent.account_id, conversation_id)
        envelope = events.labels_changed(
            conversation,
            labels=labels,
            added=change.added,
            removed=change.removed,
            by=agent.id,
            participants=await participant_store.agent_ids(session, conversation_id),
            origin=origin,
        )
        await work.publish(envelope)
    return labels


async def _write_history(
    work: UnitOfWork,
    agent: Principal,
    conversation: Conversation,
    change: LabelChange,
    labels: dict[UUID, Label],
    *,
    now: datetime,
) -> None:
    names = await agent_store.names(work.session, agent.account_id, [agent.id])
    by = wording.AgentRef(names.get(agent.id))
    lines = [wording.label_added(by=by, label=labels[i].name) for i in change.added]
    lines += [wording.label_removed(by=by, label=labels[i].name) for i in change.removed]
    for line in lines:
        await append_system_message(work, conversation, content=line, now=now)
