"""Queries of labels and of the labels on conversations."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store.models import ConversationLabel, Label
from switchboard.core.pagination import PageQuery, Rows, keyset, split_page


async def page(session: AsyncSession, account_id: UUID, page: PageQuery) -> Rows[Label]:
    """The account's labels, oldest first."""
    statement = keyset(
        select(Label).where(Label.account_id == account_id),
        Label.created_at,
        Label.id,
        page,
        newest_first=False,
    )
    rows = list(await session.scalars(statement))
    return split_page(rows, page, lambda label: (label.created_at, label.id))


async def get(
    session: AsyncSession, account_id: UUID, label_id: UUID, *, for_update: bool = False
) -> Label | None:
    statement = select(Label).where(Label.id == label_id, Label.account_id == account_id)
    if for_update:
        statement = statement.with_for_update()
    label: Label | None = await session.scalar(statement)
    return label


async def named(session: AsyncSession, account_id: UUID, name: str) -> Label | None:
    label: Label | None = await session.scalar(
        select(Label).where(Label.account_id == account_id, Label.name == name)
    )
    return label


async def of_account(
    session: AsyncSession, account_id: UUID, label_ids: Collection[UUID]
) -> dict[UUID, Label]:
    """Those of ``label_ids`` that are the account's labels, kept from being deleted until
    the transaction ends (one deleted meanwhile is not among them, rather than failing the
    conversation's foreign key later)."""
    if not label_ids:
        return {}
    rows = await session.scalars(
        select(Label)
        .where(Label.account_id == account_id, Label.id.in_(list(label_ids)))
        .with_for_update(read=True, key_share=True)
    )
    return {label.id: label for label in rows}


async def on_conversation(
    session: AsyncSession, account_id: UUID, conversation_id: UUID
) -> list[Label]:
    """The labels on the account's conversation, in the order they were added."""
    rows = await session.scalars(
        select(Label)
        .join(ConversationLabel, ConversationLabel.label_id == Label.id)
        .where(
            ConversationLabel.account_id == account_id,
            ConversationLabel.conversation_id == conversation_id,
        )
        .order_by(ConversationLabel.added_at, Label.id)
    )
    return list(rows)


async def attach(
    session: AsyncSession,
    *,
    account_id: UUID,
    conversation_id: UUID,
    label_ids: Collection[UUID],
    at: datetime,
) -> None:
    if not label_ids:
        return
    rows = [
        {
            "conversation_id": conversation_id,
            "label_id": label_id,
            "account_id": account_id,
            "added_at": at,
        }
        for label_id in label_ids
    ]
    await session.execute(insert(ConversationLabel).values(rows).on_conflict_do_nothing())


async def detach(
    session: AsyncSession, account_id: UUID, conversation_id: UUID, label_ids: Collection[UUID]
) -> None:
    if not label_ids:
        return
    await session.execute(
        delete(ConversationLabel).where(
            ConversationLabel.account_id == account_id,
            ConversationLabel.conversation_id == conversation_id,
            ConversationLabel.label_id.in_(list(label_ids)),
        )
    )


async def remove(session: AsyncSession, label: Label) -> None:
    """Delete the label; it leaves every conversation with it (the foreign key cascades)."""
    await session.execute(
        delete(Label).where(Label.account_id == label.account_id, Label.id == label.id)
    )
