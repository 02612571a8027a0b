"""Every event type of every producing service, in the order the catalogue lists them."""

from __future__ import annotations

from types import ModuleType

from switchboard.contracts import chat, gateway, routing, tickets
from switchboard.contracts.event import Event

__all__ = ["EVENTS", "find"]

_PRODUCERS: tuple[ModuleType, ...] = (chat, routing, tickets, gateway)


def _events_of(module: ModuleType) -> list[type[Event]]:
    exported = (getattr(module, name) for name in module.__all__)
    return [
        value
        for value in exported
        if isinstance(value, type) and issubclass(value, Event) and hasattr(value, "type")
    ]


EVENTS: tuple[type[Event], ...] = tuple(
    event for module in _PRODUCERS for event in _events_of(module)
)
_BY_ADDRESS = {(event.source, event.type): event for event in EVENTS}


def find(source: str, event_type: str) -> type[Event] | None:
    """The model of the events of ``event_type`` that ``source`` publishes, if any."""
    return _BY_ADDRESS.get((source, event_type))
