"""The REST front: the route table from the upstreams' OpenAPI, the proxy, the merged docs."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx

from switchboard.core.testing import bearer, eventually

from .conftest import GatewayFactory, Harness, agent, dead_url


async def _until_routes(client: httpx.AsyncClient, *wanted: str) -> dict[str, Any]:
    """The merged document once it has the upstreams' paths (read at the gateway's start)."""
    wanted = wanted or ("/v1/me", "/v1/inboxes", "/v1/analytics/daily")

    async def document() -> dict[str, Any]:
        merged: dict[str, Any] = (await client.get("/openapi.json")).json()
        return merged

    return await eventually(
        document,
        lambda merged: all(path in merged["paths"] for path in wanted),
        what=f"the upstreams' paths {wanted}",
    )


async def test_the_merged_openapi_and_the_docs_are_served(gw: Harness) -> None:
    async with httpx.AsyncClient(base_url=gw.http_url) as client:
        document = await _until_routes(client)
        assert document["info"]["title"] == "Switchboard public API"
        assert {
            "/v1/conversations/{conversation_id}/messages",
            "/v1/contacts/{contact_id}",
            "/v1/me/availability",
        } <= set(document["paths"])
        assert "x-missing-upstreams" not in document["info"]
        assert not any(path.startswith("/{") for path in document["paths"])
        assert "/healthz" not in document["paths"]
        docs = await client.get("/docs")
        assert docs.status_code == 200
        assert "swagger-ui" in docs.text and "/openapi.json" in docs.text


async def test_requests_are_proxied_with_method_query_and_headers(gw: Harness) -> None:
    async with httpx.AsyncClient(base_url=gw.http_url) as client:
        await _until_routes(client)
        response = await client.get(
            "/v1/inboxes", params={"limit": "5"}, headers={"Authorization": "Bearer abc"}
        )
        templated = await client.get(f"/v1/contacts/{uuid.uuid4()}")
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}
    assert response.headers["x-stub"] == "chat"
    seen = gw.stub.requests[-1]
    assert seen["query"] == "limit=5"
    assert seen["headers"]["authorization"] == "Bearer abc"
    assert seen["headers"]["x-forwarded-for"] == "127.0.0.1"
    assert templated.json() == {"service": "tickets"}


async def test_upstream_refusals_pass_through_unchanged(gw: Harness) -> None:
    token = gw.token(agent(uuid.uuid4()))
    async with httpx.AsyncClient(base_url=gw.http_url) as client:
        await _until_routes(client)
        response = await client.put(
            "/v1/me/availability",
            json={"status": "busy", "accept_auto_assign": True},
            headers=bearer(token),
        )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "inconsistent_availability"


async def test_an_unknown_path_is_a_404_in_the_error_shape(gw: Harness) -> None:
    async with httpx.AsyncClient(base_url=gw.http_url) as client:
        await _until_routes(client)
        response = await client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_a_stopped_upstream_answers_503(gw_factory: GatewayFactory) -> None:
    async with gw_factory() as gw, httpx.AsyncClient(base_url=gw.http_url) as client:
        await _until_routes(client)
        await gw.stop_upstream("chat")
        response = await client.get("/v1/inboxes")
    assert response.status_code == 503
    assert response.json()["error"] == {
        "code": "upstream_unavailable",
        "message": "chat is not reachable",
        "details": {"upstream": "chat"},
    }


async def test_paths_of_a_service_that_never_answered_are_503(gw_factory: GatewayFactory) -> None:
    async with gw_factory(tickets_url=dead_url()) as gw:
        async with httpx.AsyncClient(base_url=gw.http_url) as client:
            document = await _until_routes(client)
            assert document["info"]["x-missing-upstreams"] == ["tickets"]
            response = await client.get(f"/v1/contacts/{uuid.uuid4()}")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "upstream_unavailable"
    assert response.json()["error"]["details"] == {"missing": ["tickets"]}


SHOP = "https://shop.example"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type",
}


async def test_pages_of_the_configured_origins_may_call_the_api(gw_factory: GatewayFactory) -> None:
    async with gw_factory(cors_origins=[SHOP]) as gw:
        async with httpx.AsyncClient(base_url=gw.http_url) as client:
            await _until_routes(client)
            preflight = await client.options("/v1/inboxes", headers={"Origin": SHOP, **PREFLIGHT})
            listed = await client.get("/v1/inboxes", headers={"Origin": SHOP})
            stranger = await client.options(
                "/v1/inboxes", headers={"Origin": "https://evil.example", **PREFLIGHT}
            )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == SHOP
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    assert listed.status_code == 200
    assert listed.headers["access-control-allow-origin"] == SHOP
    assert "retry-after" in listed.headers["access-control-expose-headers"].lower()
    assert stranger.status_code == 400
    assert "access-control-allow-origin" not in stranger.headers


async def test_without_configured_origins_no_other_origin_may(gw: Harness) -> None:
    async with httpx.AsyncClient(base_url=gw.http_url) as client:
        await _until_routes(client)
        preflight = await client.options("/v1/inboxes", headers={"Origin": SHOP, **PREFLIGHT})
        listed = await client.get("/v1/inboxes", headers={"Origin": SHOP})
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in listed.headers


async def test_an_upload_reaches_the_upstream_while_it_is_still_being_sent(gw: Harness) -> None:
    part = bytes(range(256)) * 4096  # 1 MiB

    async def body() -> AsyncIterator[bytes]:
        yield part
        # The rest only once the upstream has bytes: a gateway holding the body whole would
        # never pass any on, and this would wait in vain.
        await eventually(lambda: _received(gw), lambda n: n > 0, what="the first bytes upstream")
        for _ in range(3):
            yield part

    async with httpx.AsyncClient(base_url=gw.http_url, timeout=20) as client:
        await _until_routes(client, "/v1/conversations/{conversation_id}/attachments")
        response = await client.post(
            f"/v1/conversations/{uuid.uuid4()}/attachments",
            content=body(),
            headers={"content-type": "application/octet-stream"},
        )
    assert response.status_code == 201, response.text
    assert response.json() == {
        "size": 4 * len(part),
        "sha256": hashlib.sha256(part * 4).hexdigest(),
    }
    assert len(gw.stub.uploaded) > 1


async def _received(gw: Harness) -> int:
    return sum(gw.stub.uploaded)


async def test_a_download_reaches_the_client_while_the_upstream_still_sends(gw: Harness) -> None:
    async with httpx.AsyncClient(base_url=gw.http_url, timeout=20) as client:
        await _until_routes(client, "/v1/attachments/{attachment_id}/content")
        async with client.stream("GET", f"/v1/attachments/{uuid.uuid4()}/content") as response:
            assert response.status_code == 200
            assert response.headers["content-type"] == "image/png"
            chunks = response.aiter_bytes()
            first = await anext(chunks)  # the upstream holds the rest until we have this
            assert first.startswith(b"a")
            gw.stub.let_go.set()
            rest = b"".join([chunk async for chunk in chunks])
    assert len(first) + len(rest) == 21 * 100_000


async def test_an_oversized_streamed_body_is_413_through_the_front(gw: Harness) -> None:
    limit = gw.settings.max_request_bytes

    async def body() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(3):
            yield b"x" * limit

    token = gw.token(agent(uuid.uuid4()))
    async with httpx.AsyncClient(base_url=gw.http_url, timeout=20) as client:
        await _until_routes(client)
        response = await client.post(
            f"/v1/conversations/{uuid.uuid4()}/messages",
            content=body(),
            headers={"content-type": "application/json", **bearer(token)},
        )
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "payload_too_large"
    assert gw.stub.requests == []  # the upstream never had a whole request
