"""What each service declares about itself, found through the ``switchboard.services``
entry points so the CLI and the test plugin know every installed service."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any

__all__ = ["ServiceSpec", "admin_of", "load_object", "service_specs"]

SERVICE_ORDER = ("routing", "chat", "tickets", "analytics", "gateway")


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    default_port: int
    app: str  # "module:factory" taking Settings, returning the ASGI app
    migrations: str | None = None  # package holding env.py and versions/
    schema: str | None = None
    worker: str | None = None  # "module:WorkerSettings" of its arq worker
    admin: str | None = None  # module of its administrative commands, run by the CLI

    @classmethod
    def laid_out(
        cls,
        name: str,
        default_port: int,
        *,
        stored: bool = True,
        worker: bool = False,
        admin: bool = False,
    ) -> ServiceSpec:
        """The spec of a service in the house layout (``switchboard.<name>``: ``app.py``'s
        ``create_app``, ``migrations/`` of schema ``<name>`` when ``stored``, ``jobs.py``'s
        ``WorkerSettings``, ``admin.py``), so a spec says only what the service has."""
        package = f"switchboard.{name}"
        return cls(
            name=name,
            default_port=default_port,
            app=f"{package}.app:create_app",
            migrations=f"{package}.migrations" if stored else None,
            schema=name if stored else None,
            worker=f"{package}.jobs:WorkerSettings" if worker else None,
            admin=f"{package}.admin" if admin else None,
        )


def load_object(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(import_module(module), name)


def admin_of(service: str) -> Any:
    """The administrative commands module of an installed service (see ``ServiceSpec.admin``)."""
    for spec in service_specs():
        if spec.name == service and spec.admin is not None:
            return import_module(spec.admin)
    raise LookupError(f"no installed service {service!r} declares administrative commands")


def service_specs() -> list[ServiceSpec]:
    """Every installed service, in start-up order."""
    specs = [ep.load() for ep in entry_points(group="switchboard.services")]
    order = {name: index for index, name in enumerate(SERVICE_ORDER)}
    return sorted(specs, key=lambda spec: order.get(spec.name, len(order)))
