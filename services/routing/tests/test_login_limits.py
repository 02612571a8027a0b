"""Guessing passwords costs the guesser: attempts are limited per email and per address, and
an email is locked out after repeated failures, whatever password comes next."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from switchboard.core.settings import Settings
from switchboard.core.testing import serving
from switchboard.routing.app import create_app

from .helpers import error_code, login

# Each test logs in from an address of its own (``address``), so the limits do not meet.


@pytest_asyncio.fixture(loop_scope="session")
async def strict_client(sb_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    settings = sb_settings.model_copy(
        update={
            "login_lockout": "5/15 minutes",
            "rate_limit_login_per_email": "8/minute",
            "rate_limit_login_per_ip": "12/minute",
        }
    )
    async with serving(create_app(settings)) as client:
        yield client


async def test_after_repeated_failures_even_the_right_password_waits(
    strict_client, routing_kit
) -> None:
    admin = await routing_kit.new_account()
    for _ in range(5):
        wrong = await login(strict_client, admin.email, "guess", address="192.0.2.1")
        assert wrong.status_code == 401
    locked = await login(strict_client, admin.email, address="192.0.2.1")  # the right one
    assert (locked.status_code, error_code(locked)) == (429, "login_locked")
    assert 1 <= int(locked.headers["retry-after"]) <= 15 * 60
    other = await routing_kit.new_account()
    answer = await login(strict_client, other.email, address="192.0.2.1")
    assert answer.status_code == 200  # nobody else waits


async def test_attempts_are_limited_per_email_even_when_right(strict_client, routing_kit) -> None:
    admin = await routing_kit.new_account()
    answers = [
        (await login(strict_client, admin.email, address="192.0.2.2")).status_code for _ in range(9)
    ]
    assert answers == [200] * 8 + [429]


async def test_attempts_are_limited_per_address(strict_client, routing_kit) -> None:
    """Behind the gateway (a trusted proxy) the address is the one it forwards."""
    accounts = [await routing_kit.new_account() for _ in range(13)]
    answers = [
        (await login(strict_client, account.email, address="203.0.113.7")).status_code
        for account in accounts
    ]
    assert answers == [200] * 12 + [429]
    elsewhere = await login(strict_client, accounts[-1].email, address="198.51.100.20")
    assert elsewhere.status_code == 200
