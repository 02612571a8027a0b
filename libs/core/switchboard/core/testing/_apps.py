"""A service app started in the test's process, a client that calls it there, and what a
path answers a method it does not have."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest_asyncio
from fastapi import FastAPI

from switchboard.core.settings import Settings

__all__ = ["AppClient", "assert_method_not_allowed", "served", "serving"]


class AppClient(httpx.AsyncClient):
    """A client of ``app``, calling it in process, without a server."""

    def __init__(self, app: FastAPI) -> None:
        super().__init__(transport=httpx.ASGITransport(app=app), base_url="http://test")
        self.app = app


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[AppClient]:
    """``app`` started (its lifespan: database, Redis, consumers, sweepers) and a client that
    calls it."""
    async with app.router.lifespan_context(app), AppClient(app) as client:
        yield client


def served(create_app: Callable[[Settings], FastAPI]) -> Any:
    """A fixture of a module: the app ``create_app`` makes of the suite's settings, started
    once for the module's tests (they make accounts of their own), and a client calling it;
    the app is the client's ``app``."""

    @pytest_asyncio.fixture(scope="module", loop_scope="session")
    async def client(sb_settings: Settings) -> AsyncIterator[AppClient]:
        async with serving(create_app(sb_settings)) as client:
            yield client

    return client


def assert_method_not_allowed(response: httpx.Response, allow: str) -> None:
    """``response`` is the 405 of a method the path lacks, its ``Allow`` the path's methods
    (``allow``), and its body the error of that code (a HEAD's answer has no body)."""
    assert response.status_code == 405, response.text
    assert response.headers["allow"] == allow
    if response.request.method != "HEAD":
        assert response.json()["error"]["code"] == "method_not_allowed"
