"""Queries of logins: refresh tokens, revoked families, and the sessions ended lately."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from switchboard.routing.store.models import Agent, RefreshToken, RevokedFamily


async def refresh_token_for_update(session: AsyncSession, token_id: str) -> RefreshToken | None:
    token: RefreshToken | None = await session.scalar(
        select(RefreshToken).where(RefreshToken.id == token_id).with_for_update()
    )
    return token


async def revoke_tokens_of(session: AsyncSession, agent_id: UUID, at: datetime) -> None:
    """Every refresh token of the agent not revoked yet is, as of ``at``."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.agent_id == agent_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=at)
    )


async def revoke_family(
    session: AsyncSession, agent_id: UUID, family_id: str, at: datetime
) -> None:
    """Every refresh token of the login is revoked, and the login is recorded as ended."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    await session.execute(
        insert(RevokedFamily)
        .values(family_id=family_id, agent_id=agent_id, revoked_at=at)
        .on_conflict_do_nothing()
    )


async def ended_since(session: AsyncSession, since: datetime) -> tuple[dict[UUID, int], list[str]]:
    """The session versions raised and the logins revoked after ``since``."""
    rows = await session.execute(
        select(Agent.id, Agent.session_version).where(Agent.session_changed_at > since)
    )
    versions = {row[0]: row[1] for row in rows}
    families = await session.scalars(
        select(RevokedFamily.family_id).where(RevokedFamily.revoked_at > since)
    )
    return versions, list(families)
