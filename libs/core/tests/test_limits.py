"""Rate limits counted in Redis, and the request body limit: a client that asks too much is
told so (429 with Retry-After, 413), and nobody else notices."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter
from pydantic import BaseModel, SecretStr, ValidationError
from redis.asyncio import Redis

from switchboard.core.app import ServiceParts, create_service_app
from switchboard.core.errors import TooManyRequests
from switchboard.core.ratelimit import RateLimits
from switchboard.core.runtime import Runtime
from switchboard.core.secrets import generate_secret
from switchboard.core.settings import Settings


class Locked(TooManyRequests):
    code = "locked"


@pytest.fixture
def limits(redis: Redis) -> RateLimits:
    return RateLimits(redis, prefix=f"limits-{uuid.uuid4().hex[:8]}")


async def test_a_key_is_refused_past_its_rule_with_a_retry_after(limits: RateLimits) -> None:
    for _ in range(3):
        await limits.hit("3/minute", "login-email", "lan@shop.vn")
    with pytest.raises(TooManyRequests) as refused:
        await limits.hit("3/minute", "login-email", "lan@shop.vn")
    assert refused.value.status_code == 429
    assert refused.value.code == "rate_limited"
    assert refused.value.headers is not None
    retry_after = int(refused.value.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert refused.value.details == {"retry_after": retry_after}


async def test_another_key_is_not_slowed_by_a_flood(limits: RateLimits) -> None:
    for _ in range(3):
        await limits.hit("3/minute", "messages", "flooder")
    with pytest.raises(TooManyRequests):
        await limits.hit("3/minute", "messages", "flooder")
    await limits.hit("3/minute", "messages", "someone-else")


async def test_every_limit_of_a_rule_holds(limits: RateLimits) -> None:
    await limits.hit("1/second;100/hour", "k")
    with pytest.raises(TooManyRequests):
        await limits.hit("1/second;100/hour", "k")


async def test_check_counts_nothing_and_an_empty_rule_is_off(limits: RateLimits) -> None:
    for _ in range(5):
        await limits.check("1/minute", "looked-at")
    await limits.hit("1/minute", "looked-at")
    with pytest.raises(Locked, match="too many"):
        await limits.check("1/minute", "looked-at", refusal=Locked)
    for _ in range(10):
        await limits.hit("", "unlimited")


async def test_limits_can_be_switched_off(redis: Redis) -> None:
    off = RateLimits(redis, prefix=f"limits-{uuid.uuid4().hex[:8]}", enabled=False)
    for _ in range(5):
        await off.hit("1/minute", "k")


def test_a_rule_that_does_not_parse_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="rate_limit_messages_per_visitor"):
        Settings.model_validate({"rate_limit_messages_per_visitor": "many per day"})


class Echo(BaseModel):
    text: str


@pytest.fixture
async def small_app() -> AsyncIterator[httpx.AsyncClient]:
    router = APIRouter()

    @router.post("/echo")
    async def echo(body: Echo) -> dict[str, int]:
        return {"length": len(body.text)}

    settings = Settings(jwt_secret=SecretStr(generate_secret()), max_request_bytes=4096)
    app = create_service_app(
        ServiceParts(name="echo", title="e", description="d", runtime=Runtime, routers=[router]),
        settings,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://echo"
    ) as client:
        yield client


async def test_a_body_over_the_limit_is_413_declared_or_streamed(
    small_app: httpx.AsyncClient,
) -> None:
    fits = await small_app.post("/echo", json={"text": "a" * 1000})
    assert fits.json() == {"length": 1000}
    declared = await small_app.post("/echo", json={"text": "a" * 10_000})
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "payload_too_large"

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"text": "'
        for _ in range(10):
            yield b"a" * 1000
        yield b'"}'

    streamed = await small_app.post(
        "/echo", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    assert streamed.json()["error"]["code"] == "payload_too_large"
