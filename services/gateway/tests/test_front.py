"""The REST front: the route table from the upstreams' OpenAPI, the proxy, the merged docs."""

from __future__ import annotations

import uuid
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
