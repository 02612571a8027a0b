"""Sessions that end at once: a version per agent or visitor, and revoked token families.

A token says which session version it was issued under (``ver``) and, for an agent, which
login it belongs to (``fam``: the family of its refresh tokens). When a role, a password, an
activation or a visitor's access changes, the owning service raises the version; logging out
revokes one family. Every service checks both with one ``MGET`` per request, so the change
holds on the next request everywhere, not when the access token runs out.

Redis keeps only what can still matter: a raised version or a revoked family lives as long as
a token issued before it could (the token's lifetime). The owning service writes it right
after its commit and writes the recent ones again every minute (``republish``), so a Redis
that lost its data, or a crash between the commit and the write, leaves a gap of a minute at
most, never an accepted revoked session after that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal
from uuid import UUID

from redis.asyncio import Redis

from switchboard.core.errors import SessionChanged, SessionRevoked

__all__ = ["SessionKind", "Sessions"]

SessionKind = Literal["agent", "visitor"]

# Raise the stored version, never lower it (a late write of an older bump changes nothing).
_RAISE = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0
"""


class Sessions:
    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix
        self._raise = redis.register_script(_RAISE)

    def version_key(self, kind: SessionKind, principal_id: object) -> str:
        return f"{{{self.prefix}}}:session:{kind}:{principal_id}"

    def family_key(self, family: str) -> str:
        return f"{{{self.prefix}}}:session-revoked:{family}"

    async def check(
        self, kind: SessionKind, principal_id: object, version: int, family: str | None
    ) -> None:
        """Refuse a token issued before its session changed, or of a revoked family."""
        keys = [self.version_key(kind, principal_id)]
        if family is not None:
            keys.append(self.family_key(family))
        current, *revoked = await self.redis.mget(keys)
        if revoked and revoked[0] is not None:
            raise SessionRevoked()
        if current is not None and int(current) > version:
            if kind == "visitor":  # a visitor has no refresh: his access was taken away
                raise SessionRevoked("this visitor's session was revoked")
            raise SessionChanged()

    async def raise_versions(
        self, kind: SessionKind, versions: Mapping[UUID, int], ttl_seconds: int
    ) -> None:
        """Store each principal's new version for ``ttl_seconds`` (the tokens' lifetime)."""
        if not versions:
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            for principal_id, version in versions.items():
                await self._raise(
                    keys=[self.version_key(kind, principal_id)],
                    args=[version, max(ttl_seconds, 1)],
                    client=pipe,
                )
            await pipe.execute()

    async def revoke_families(self, families: list[str], ttl_seconds: int) -> None:
        if not families:
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            for family in families:
                pipe.set(self.family_key(family), 1, ex=max(ttl_seconds, 1))
            await pipe.execute()
