"""The edge holds against a flood: a socket that sends too fast is answered ``rate_limited``
at once (never left waiting) and closed 4029 if it keeps on; REST calls are counted per token
or, without one, per address; neither slows anyone else."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import orjson

from switchboard.core.testing import bearer

from .conftest import GatewayFactory, agent


async def test_a_flooding_socket_is_answered_then_closed(gw_factory: GatewayFactory) -> None:
    async with gw_factory(ws_requests_per_second=2.0, ws_request_burst=3) as gw:
        account = uuid.uuid4()
        flooder = await gw.login(agent(account))
        calm = await gw.login(agent(account))
        sent = 40
        for n in range(sent):
            frame = {"type": "request", "request_id": f"f-{n}", "action": "ping", "payload": {}}
            await flooder.send_raw(orjson.dumps(frame).decode())
        answers = []
        for n in range(sent):
            try:
                answers.append(await flooder.response(f"f-{n}", timeout=3))
            except (TimeoutError, Exception):
                break
        refused = [a for a in answers if not a["ok"]]
        assert refused, "the flood was never refused"
        assert {a["error"]["code"] for a in refused} == {"rate_limited"}
        assert all(a["error"]["details"]["retry_after_ms"] >= 1 for a in refused)
        assert answers[0]["ok"]  # the burst was served
        # It kept flooding past four bursts of refusals: closed with the documented code.
        assert await flooder.wait_closed() == (4029, "rate_limited")
        assert (await calm.request("ping"))["ok"]


async def test_a_socket_within_its_rate_is_never_refused(gw_factory: GatewayFactory) -> None:
    async with gw_factory(ws_requests_per_second=50.0, ws_request_burst=5) as gw:
        client = await gw.login(agent(uuid.uuid4()))
        for _ in range(10):
            assert (await client.request("ping"))["ok"]
            await asyncio.sleep(0.03)


async def test_rest_calls_are_counted_per_token_then_per_address(
    gw_factory: GatewayFactory,
) -> None:
    async with gw_factory(
        rate_limit_requests_per_token="3/minute", rate_limit_requests_per_ip="2/minute"
    ) as gw:
        account = uuid.uuid4()
        flooder = bearer(gw.token(agent(account)))
        other = bearer(gw.token(agent(account)))
        async with httpx.AsyncClient(base_url=gw.http_url) as client:
            statuses = [
                (await client.get(f"/v1/contacts/{uuid.uuid4()}", headers=flooder)).status_code
                for _ in range(4)
            ]
            assert statuses[:3] == [200] * 3
            limited = await client.get(f"/v1/contacts/{uuid.uuid4()}", headers=flooder)
            assert limited.status_code == 429
            assert limited.json()["error"]["code"] == "rate_limited"
            assert int(limited.headers["retry-after"]) >= 1
            fine = await client.get(f"/v1/contacts/{uuid.uuid4()}", headers=other)
            assert fine.status_code == 200
            anonymous = [
                (await client.get(f"/v1/contacts/{uuid.uuid4()}")).status_code for _ in range(3)
            ]
            assert anonymous[2] == 429
