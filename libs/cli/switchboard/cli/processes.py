"""Running services and workers as processes."""

from __future__ import annotations

import argparse
import asyncio
import sys
from urllib.parse import urlsplit

import uvicorn

from switchboard.cli.database import database_name, ensure_database
from switchboard.core.migrations import upgrade_to_head
from switchboard.core.service import ServiceSpec, load_object, service_specs
from switchboard.core.settings import get_settings


def spec_named(name: str) -> ServiceSpec:
    for spec in service_specs():
        if spec.name == name:
            return spec
    known = ", ".join(spec.name for spec in service_specs())
    raise SystemExit(f"unknown service {name!r}; known: {known}")


def service_port(spec: ServiceSpec) -> int:
    """The port of the service's URL setting (``SB_CHAT_URL`` ...), where the others call it."""
    port: int = urlsplit(get_settings().service_url(spec.name)).port or spec.default_port
    return port


def serve_command(args: argparse.Namespace) -> int:
    spec = spec_named(args.service)
    settings = get_settings()
    app = load_object(spec.app)(settings)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port or service_port(spec),
        log_level="warning",
        ws_per_message_deflate=False,
        ws_max_size=settings.ws_max_frame_bytes,  # a larger frame closes the socket (1009)
        loop="uvloop",
        http="httptools",
    )
    return 0


def worker_command(args: argparse.Namespace) -> int:
    from switchboard.core.worker import run_service_worker

    spec = spec_named(args.service)
    if spec.worker is None:
        raise SystemExit(f"{spec.name} has no worker")
    run_service_worker(load_object(spec.worker), get_settings(), spec.name)
    return 0


def migrate() -> None:
    """Create the database when it is missing and migrate every service's schema to head."""
    url = get_settings().database_url
    if asyncio.run(ensure_database(url)):
        print(f"created the database {database_name(url)}", file=sys.stderr)
    for spec in service_specs():
        if spec.migrations:
            upgrade_to_head(spec.migrations, url)
            print(f"migrated {spec.name}", file=sys.stderr)


def migrate_command(args: argparse.Namespace) -> int:
    migrate()
    return 0


__all__ = ["migrate", "migrate_command", "serve_command", "service_port", "worker_command"]
