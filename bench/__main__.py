"""``python -m bench [options]``: every scenario against the real suite; ``python -m bench seed``
seeds the configured database for the conversation-list benchmark."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

import uvloop

from bench import canned, report, scenarios
from bench.gen import raise_nofile
from bench.stack import asyncpg_dsn, drained, running_suite
from switchboard.core.testing.plugin import throwaway_settings

SCENARIOS = ["e2e", "throughput", "budget", "idle", "storm", "assignment", "listing", "canned"]


# The options of the scenarios: flag, type, default, help.
_SCENARIO_OPTIONS: list[tuple[str, type[int] | type[float], float, str]] = [
    ("--conversations", int, 20, "e2e conversations"),
    # The target's "200 msg/s" is the pipeline's total: visitors and agents 100 msg/s each.
    ("--rate", float, 100, "e2e visitor messages/s (total)"),
    ("--reply-rate", float, 100, "e2e agent replies/s (total)"),
    ("--duration", float, 10, "e2e seconds"),
    ("--hold", float, 10, "throughput: seconds per rate step"),
    ("--start-rate", float, 50, "throughput: first step msg/s"),
    ("--max-rate", float, 6000, "throughput: last step msg/s"),
    ("--budget-rate", float, 50, "budget: msg/s (half each way)"),
    ("--budget-seconds", float, 6, "budget: seconds"),
    ("--idle", int, 2000, "idle sockets to hold"),
    ("--storm", int, 500, "clients of the connect storm"),
    ("--agents", int, 20, "assignment: agents online"),
    ("--assign-conversations", int, 200, "assignment: opened at once"),
    ("--assign-rate", float, 20, "assignment: open loop, conversations/s"),
    ("--assign-duration", float, 10, "assignment: open loop seconds"),
    ("--list-conversations", int, 50_000, "seeded for the list"),
    ("--list-messages", int, 10, "messages seeded per conversation of the list"),
    ("--accounts", int, 50, "accounts the list seed spreads over"),
    ("--list-requests", int, 200, "requests per list query"),
    ("--canned-responses", int, 10_000, "canned: quick replies seeded in one account"),
    ("--canned-requests", int, 200, "canned: requests per search"),
]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sub = p.add_subparsers(dest="command")
    seed = sub.add_parser("seed", help="COPY conversations into SB_DATABASE_URL's chat schema")
    seed.add_argument("--conversations", type=int, default=1_000_000)
    seed.add_argument("--accounts", type=int, default=50)
    seed.add_argument("--messages", type=int, default=10, help="per conversation")
    p.add_argument(
        "--only",
        default=",".join(SCENARIOS),
        help=f"comma-separated scenarios (default all: {','.join(SCENARIOS)})",
    )
    for flag, kind, default, text in _SCENARIO_OPTIONS:
        p.add_argument(flag, type=kind, default=default, help=text)
    return p


async def run_all(args: argparse.Namespace) -> dict[str, Any]:
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenarios: {sorted(unknown)}")
    # Children (the services) inherit the limit: enough descriptors for every idle socket.
    limits = raise_nofile(max(args.idle, args.storm) * 2 + 1024)
    figures: dict[str, Any] = {
        "machine": report.machine(),
        "command": " ".join(["python -m bench", *sys.argv[1:]]),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "nofile": limits,
    }
    async with throwaway_settings("bench") as settings, running_suite(settings) as suite:
        pairs: list[dict[str, str]] | None = None
        for name in chosen:
            print(f"== {name}", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            if name == "e2e":
                result = await scenarios.e2e(suite, settings, args)
                pairs = result.pop("pairs")
            elif name in ("throughput", "budget"):
                if pairs is None:
                    from bench.stack import Driver

                    async with Driver.open(suite) as driver:
                        pairs = await driver.pairs(args.conversations)
                run = scenarios.throughput if name == "throughput" else scenarios.budget
                result = await run(suite, settings, args, pairs)
            elif name == "idle":
                result = await scenarios.idle(suite, args)
            elif name == "storm":
                result = await scenarios.storm(suite, args)
            elif name == "assignment":
                result = await scenarios.assignment(suite, settings, args)
            elif name == "canned":
                result = await canned.canned(suite, settings, args)
            else:
                result = await scenarios.listing(suite, settings, args)
            result["seconds"] = time.perf_counter() - t0
            result["drain_seconds"] = await drained(settings)
            figures[name] = result
            suite.check_alive()
    return figures


def main() -> None:
    args = parser().parse_args()
    if args.command == "seed":
        from bench.seed import seed
        from switchboard.core.settings import Settings
        from switchboard.core.testing.plugin import migrate_all

        url = Settings().database_url

        async def seeding() -> dict[str, Any]:
            await migrate_all(url)
            return await seed(
                asyncpg_dsn(url),
                conversations=args.conversations,
                accounts=args.accounts,
                messages_per_conversation=args.messages,
            )

        result = uvloop.run(seeding())
        print(
            json.dumps(
                {k: result[k] for k in ("conversations", "messages", "seconds")}
                | {"accounts": len(result["accounts"])}
            )
        )
        return
    figures = asyncio.run(run_all(args))
    path = report.write(figures)
    print(report.table(figures))
    print(f"\nfigures: {path}")


if __name__ == "__main__":
    main()
