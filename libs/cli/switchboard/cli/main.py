"""The ``switchboard`` command: run, migrate and administer the suite."""

from __future__ import annotations

import argparse
import sys

from switchboard.cli import infra, processes

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="switchboard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    infra_cmd = commands.add_parser("infra", help="find or start PostgreSQL and Redis")
    infra_cmd.add_argument("--shell", action="store_true", help="print shell exports")
    infra_cmd.set_defaults(run=infra.command)

    serve = commands.add_parser("serve", help="run one service")
    serve.add_argument("service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int)
    serve.set_defaults(run=processes.serve_command)

    worker = commands.add_parser("worker", help="run one service's arq worker")
    worker.add_argument("service")
    worker.set_defaults(run=processes.worker_command)

    migrate = commands.add_parser("migrate", help="migrate every service's schema to head")
    migrate.set_defaults(run=processes.migrate_command)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    sys.exit(args.run(args) or 0)
