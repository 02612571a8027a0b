"""The benchmark's message path at toy size: every message arrives exactly once, both ways.

No timing is asserted (that is ``make bench``); this proves the generator and the suite agree
on what was sent and received.
"""

from __future__ import annotations

from bench import gen
from bench.scenarios import bare_pairs
from bench.stack import Driver, bare_server
from tests.suite import Suite


async def test_messages_both_ways_arrive_once_each(suite: Suite) -> None:
    async with Driver.open(suite) as driver:
        pairs = await driver.pairs(3)
    step = {"visitor_rate": 20, "agent_rate": 20, "seconds": 1.0}
    result = await gen.run(
        "e2e",
        {"ws_url": suite.ws_url, "pairs": pairs, "steps": [step], "drain_seconds": 15.0},
        timeout=60,
    )
    run = result["steps"][0]
    assert run["sent"] == 40
    assert run["visitor_to_agent_ms"]["n"] == 20
    assert run["agent_to_visitor_ms"]["n"] == 20
    assert run["lost"] == 0
    assert run["duplicated"] == 0
    assert run["failed"] == 0


async def test_the_bare_baseline_answers_the_same_generator(suite: Suite) -> None:
    """The bare chain (the baseline every e2e figure is a ratio of) speaks the same socket
    protocol as the gateway, so one generator measures both."""
    async with bare_server("chain", suite.settings) as bare:
        step = {"visitor_rate": 20, "agent_rate": 20, "seconds": 1.0}
        result = await gen.run(
            "e2e",
            {"ws_url": bare.ws_url, "pairs": bare_pairs(3), "steps": [step], "stats": True},
            timeout=60,
        )
    run = result["steps"][0]
    assert run["sent"] == 40
    assert (run["lost"], run["duplicated"], run["failed"]) == (0, 0, 0)
