"""The agent projection: names, emails, profiles and who is still active."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.chat.store.models import Agent


@dataclass(frozen=True)
class Profile:
    """What chat keeps of an agent's own profile: his signature, the notifications he muted."""

    signature: str | None
    muted_notifications: list[str]


async def upsert(
    session: AsyncSession,
    *,
    agent_id: UUID,
    account_id: UUID,
    name: str,
    email: str | None,
    at: datetime,
    role: str | None = None,
    profile: Profile | None = None,
    active: bool | None = None,
) -> None:
    """Record the agent's name, email and ``role``, and his ``profile`` and whether he is
    ``active`` when the event carries them (a new agent is active)."""
    values: dict[str, object] = {"name": name, "email": email, "updated_at": at}
    if role is not None:
        values["role"] = role
    if profile is not None:
        values |= {
            "signature": profile.signature,
            "muted_notifications": profile.muted_notifications,
        }
    if active is not None:
        values["active"] = active
    statement = insert(Agent).values(id=agent_id, account_id=account_id, **values)
    statement = statement.on_conflict_do_update(
        index_elements=[Agent.id], set_=values, where=Agent.account_id == account_id
    )
    await session.execute(statement)


async def profile(session: AsyncSession, account_id: UUID, agent_id: UUID) -> Profile:
    """The agent's profile (none known yet: no signature, every notification)."""
    row = (
        await session.execute(
            select(Agent.signature, Agent.muted_notifications).where(
                Agent.account_id == account_id, Agent.id == agent_id
            )
        )
    ).first()
    return Profile(None, []) if row is None else Profile(row[0], list(row[1]))


async def known(session: AsyncSession, account_id: UUID, agent_ids: Iterable[UUID]) -> set[UUID]:
    """Those of ``agent_ids`` that are active agents of the account (as chat heard of them):
    a deactivated agent is no one to mention any more."""
    wanted = list(set(agent_ids))
    if not wanted:
        return set()
    rows = await session.scalars(
        select(Agent.id).where(
            Agent.account_id == account_id, Agent.id.in_(wanted), Agent.active.is_(True)
        )
    )
    return set(rows)


async def names(
    session: AsyncSession, account_id: UUID, agent_ids: Iterable[UUID]
) -> dict[UUID, str]:
    """The projected names of those agents of the account that chat knows."""
    wanted = list(set(agent_ids))
    if not wanted:
        return {}
    rows = await session.execute(
        select(Agent.id, Agent.name).where(Agent.account_id == account_id, Agent.id.in_(wanted))
    )
    return {row[0]: row[1] for row in rows.all() if row[1]}


async def roles(session: AsyncSession, account_id: UUID) -> dict[UUID, str | None]:
    """The role of every active agent of the account chat knows (None: not heard yet)."""
    rows = await session.execute(
        select(Agent.id, Agent.role)
        .where(Agent.account_id == account_id, Agent.active.is_(True))
        .order_by(Agent.id)
    )
    return {row[0]: row[1] for row in rows.all()}
