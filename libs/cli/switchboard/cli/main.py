"""The ``switchboard`` command: run, migrate and administer the suite."""

from __future__ import annotations

import argparse
import sys
from importlib import import_module

from pydantic import ValidationError

from switchboard.core.settings import MissingSecret

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="switchboard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    infra_cmd = commands.add_parser(
        "infra",
        help="find or start PostgreSQL and Redis",
        description="SB_DATABASE_URL/SB_REDIS_URL, else the local default ports, else private "
        "servers under SB_DATA_DIR (default .data); SB_EMBEDDED=1 forces the private servers.",
    )
    infra_cmd.add_argument("--shell", action="store_true", help="print shell exports")
    infra_cmd.add_argument(
        "--stop", action="store_true", help="stop the private servers of the data directory"
    )
    infra_cmd.set_defaults(run="infra:command")

    serve = commands.add_parser("serve", help="run one service")
    serve.add_argument("service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, help="default: the port of SB_<SERVICE>_URL")
    serve.set_defaults(run="processes:serve_command")

    worker = commands.add_parser("worker", help="run one service's arq worker")
    worker.add_argument("service")
    worker.set_defaults(run="processes:worker_command")

    migrate = commands.add_parser(
        "migrate", help="create the database if needed, migrate every service's schema to head"
    )
    migrate.set_defaults(run="processes:migrate_command")

    up = commands.add_parser(
        "up",
        help="migrate, then run every service and worker (restarted when they die)",
        description="Each service listens on the port of its SB_<SERVICE>_URL. A child that"
        " dies is restarted after a backoff; one that dies more than"
        " SB_SUPERVISOR_RESTARTS_PER_MINUTE times within a minute stops everything (exit 1).",
    )
    up.set_defaults(run="supervisor:up_command")

    account = commands.add_parser("create-account", help="create an account and its admin")
    account.add_argument("--name", required=True)
    account.add_argument("--admin-email", required=True)
    account.add_argument("--admin-password", required=True)
    account.add_argument("--admin-name")
    account.set_defaults(run="accounts:create_account_command")

    demo = commands.add_parser(
        "demo",
        help="create the demo account (once) and print its login",
        description="The demo admin gets a random password, printed once; --admin-password"
        " chooses it (and sets it again on an existing demo admin).",
    )
    demo.add_argument("--admin-password", help="the demo admin's password (default: random)")
    demo.set_defaults(run="accounts:demo_command")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    # Each command imports what it needs: `switchboard infra` must not pay for FastAPI.
    module, _, function = args.run.partition(":")
    run = getattr(import_module(f"switchboard.cli.{module}"), function)
    try:
        code = run(args) or 0
    except (MissingSecret, ValidationError) as exc:  # settings an operator must fix: no trace
        raise SystemExit(f"switchboard: {exc}") from None
    sys.exit(code)
