"""A method a path does not have: 405 naming every method the path has; OPTIONS answers them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from switchboard.core.errors import install_error_handlers
from switchboard.core.testing import assert_method_not_allowed


def shop_app() -> FastAPI:
    router = APIRouter(prefix="/v1/inboxes")

    @router.get("")
    async def list_inboxes() -> list[str]:
        return []

    @router.post("")
    async def create_inbox() -> str:
        return "made"

    @router.delete("/{inbox_id}")
    async def delete_inbox(inbox_id: str) -> None:
        return None

    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router)
    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=shop_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://shop") as client:
        yield client


@pytest.mark.parametrize("method", ["PUT", "PATCH", "TRACE", "HEAD"])
async def test_a_method_the_path_lacks_is_405_with_all_of_the_paths_methods(
    client: httpx.AsyncClient, method: str
) -> None:
    response = await client.request(method, "/v1/inboxes")
    assert_method_not_allowed(response, "GET, OPTIONS, POST")


async def test_options_answers_the_paths_methods(client: httpx.AsyncClient) -> None:
    listed = await client.options("/v1/inboxes")
    one = await client.options("/v1/inboxes/7")
    assert (listed.status_code, listed.headers["allow"]) == (204, "GET, OPTIONS, POST")
    assert (one.status_code, one.headers["allow"]) == (204, "DELETE, OPTIONS")
    assert listed.content == b""


async def test_an_unknown_path_is_still_404(client: httpx.AsyncClient) -> None:
    response = await client.options("/v1/nothing")
    assert response.status_code == 404
    assert "allow" not in response.headers
