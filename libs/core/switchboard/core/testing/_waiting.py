"""Waiting for what the suite does in the background: a poll with a deadline."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

__all__ = ["eventually"]

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]],
    until: Callable[[T], object] = bool,
    *,
    what: str | None = None,
    timeout: float = 10.0,
    every: float = 0.05,
) -> T:
    """The first value of ``probe()`` that ``until`` accepts (by default: any true value).

    ``probe`` is awaited every ``every`` seconds; after ``timeout`` seconds the test fails with
    ``what`` and the last value seen.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = await probe()
        if until(value):
            return value
        if loop.time() > deadline:
            waited_for = what or getattr(probe, "__qualname__", "the condition")
            raise AssertionError(f"not within {timeout} s: {waited_for} (last: {value!r})")
        await asyncio.sleep(every)
