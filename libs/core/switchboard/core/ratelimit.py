"""Rate limits, counted in Redis (the ``limits`` library), so every process of a service shares
one count: a flood is refused with 429 ``rate_limited`` and ``Retry-After``, and only the
flooding key (an email, an address, a visitor, a token) is slowed, never anyone else.

A rule is a setting in the ``limits`` notation (``"10/minute"``, ``"5/second;100/hour"``); an
empty rule, or ``SB_RATE_LIMITS_ENABLED=false``, turns it off.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from functools import lru_cache

from limits import RateLimitItem, parse_many
from limits.aio.storage import RedisStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from redis.asyncio import Redis

from switchboard.core.errors import TooManyRequests

__all__ = ["RateLimits", "parse_rule"]


@lru_cache(maxsize=256)
def parse_rule(rule: str) -> tuple[RateLimitItem, ...]:
    """The limits of a rule (``ValueError`` when it does not parse)."""
    return tuple(parse_many(rule)) if rule.strip() else ()


class RateLimits:
    def __init__(self, redis: Redis, *, prefix: str, enabled: bool = True) -> None:
        self.enabled = enabled
        storage = RedisStorage(
            "async+redis://",
            implementation="redispy",
            key_prefix=f"{{{prefix}}}:ratelimit",
            connection_pool=redis.connection_pool,  # type: ignore[arg-type]  # passed through
        )
        self._limiter = SlidingWindowCounterRateLimiter(storage)

    async def hit(
        self, rule: str, *key: str, refusal: type[TooManyRequests] = TooManyRequests
    ) -> None:
        """Count one request of ``key`` under ``rule``; ``refusal`` (429) once any of its limits
        is spent."""
        await self._within(rule, key, refusal, self._limiter.hit)

    async def check(
        self, rule: str, *key: str, refusal: type[TooManyRequests] = TooManyRequests
    ) -> None:
        """``refusal`` (429) when ``key`` has spent ``rule`` already, without counting this
        request."""
        await self._within(rule, key, refusal, self._limiter.test)

    async def _within(
        self,
        rule: str,
        key: tuple[str, ...],
        refusal: type[TooManyRequests],
        passes: Callable[..., Awaitable[bool]],
    ) -> None:
        """``refusal`` for the first limit of ``rule`` that ``key`` does not ``pass``: the
        limiter's ``hit`` (counting the request) or ``test`` (not counting it)."""
        if not self.enabled:
            return
        for limit in parse_rule(rule):
            if not await passes(limit, *key):
                raise await self._refusal(limit, key, refusal)

    async def _refusal(
        self, limit: RateLimitItem, key: tuple[str, ...], refusal: type[TooManyRequests]
    ) -> TooManyRequests:
        stats = await self._limiter.get_window_stats(limit, *key)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        return refusal(
            f"too many requests: at most {limit}; try again in {retry_after} s",
            retry_after=retry_after,
        )
