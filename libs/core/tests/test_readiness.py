"""/readyz says not ready (503) while Redis is out of reach, and answers within its timeout
even when Redis accepts the connection and never replies."""

import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from switchboard.core.app import ServiceParts, create_service_app
from switchboard.core.runtime import Runtime
from switchboard.core.settings import Settings
from switchboard.core.testing import serving

PARTS = ServiceParts(
    name="probe", title="Probe", description="A service with no routes.", runtime=Runtime
)


@pytest.fixture
def silent_redis() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never answers a command."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])


async def _readyz(app: FastAPI) -> httpx.Response:
    async with serving(app) as client:
        return await client.get("/readyz")


async def test_a_service_with_its_redis_answers_ready(sb_settings: Settings) -> None:
    response = await _readyz(create_service_app(PARTS, sb_settings))
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {"redis": "ok", "background": "ok"}


async def test_readyz_answers_503_in_time_when_redis_hangs(
    sb_settings: Settings, silent_redis: int
) -> None:
    settings = sb_settings.model_copy(
        update={
            "redis_url": f"redis://127.0.0.1:{silent_redis}/0",
            "readiness_timeout_seconds": 0.5,
        }
    )
    started = time.monotonic()
    response = await _readyz(create_service_app(PARTS, settings))
    assert response.status_code == 503, response.text
    assert response.json()["checks"]["redis"].startswith("unreachable")
    assert time.monotonic() - started < 5  # generous: the point is that it never hangs
