"""The gateway's /metrics: its own (never proxied), with its live sockets and the upstream
route templates of the requests it proxied."""

from __future__ import annotations

import uuid

import httpx

from switchboard.core.testing import eventually, metric_value

from .conftest import GatewayFactory, Harness, agent, visitor


async def scrape(gw: Harness) -> str:
    async with httpx.AsyncClient(base_url=gw.http_url) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    return response.text


async def sockets(gw: Harness, kind: str) -> float | None:
    return metric_value(await scrape(gw), "switchboard_gateway_sockets", kind=kind)


async def test_the_socket_gauge_counts_logged_in_sockets_by_kind(
    gw_factory: GatewayFactory,
) -> None:
    async with gw_factory() as gw:  # a gateway of its own: nobody else's sockets count
        assert await sockets(gw, "agent") == 0
        account = uuid.uuid4()
        first = await gw.login(agent(account))
        await gw.login(agent(account))
        await gw.login(visitor(account))
        exposition = await scrape(gw)
        assert metric_value(exposition, "switchboard_gateway_sockets", kind="agent") == 2
        assert metric_value(exposition, "switchboard_gateway_sockets", kind="visitor") == 1

        await first.close()
        await eventually(lambda: sockets(gw, "agent"), lambda count: count == 1)


async def test_a_proxied_request_is_timed_under_the_upstreams_route_template(
    gw_factory: GatewayFactory,
) -> None:
    async with gw_factory() as gw, httpx.AsyncClient(base_url=gw.http_url) as client:

        async def contact() -> int:
            return (await client.get(f"/v1/contacts/{uuid.uuid4()}")).status_code

        await eventually(contact, lambda status: status == 200, what="the route to tickets")
        exposition = await scrape(gw)
    labels = {"method": "GET", "route": "/v1/contacts/{contact_id}", "status": "200"}
    assert (
        metric_value(exposition, "switchboard_http_request_duration_seconds_count", **labels) == 1
    )
    assert metric_value(exposition, "switchboard_dependency_up", dependency="redis") == 1
    assert (
        metric_value(exposition, "switchboard_consumer_pending", stream="chat", group="gateway")
        == 0
    )
