"""The consumed events of one service: a handler per event model.

    handlers = Handlers()
    handlers.on(AssignmentCreated)(apply_assignment)  # or as a decorator

    async def apply_assignment(
        runtime: DatabaseRuntime, event: Delivery[AssignmentCreated]
    ) -> None:
        ...  # event.data is an AssignmentCreated; event.id, event.account_id, event.origin

The registry finds the handler by the envelope's source and type and hands it the event, its
payload read as the handler's model; events nobody handles are acknowledged untouched.

Idempotency is applied in one place: the use case opens the transaction that handles the
event with ``runtime.work(handling=event)``, which records the event as handled
before anything else. A repeat (the bus delivers at least once, the outbox sweeper may
republish) stops there with ``Repeated``, which the registry acknowledges, so an event
changes things once. A handler whose change is idempotent by nature needs no record.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from switchboard.contracts.event import Event
from switchboard.core.bus import Handler
from switchboard.core.events import Delivery, Envelope
from switchboard.core.outbox import Repeated
from switchboard.core.runtime import DatabaseRuntime

__all__ = ["EventHandler", "Handlers"]

EventHandler = Callable[[DatabaseRuntime, Delivery[Any]], Awaitable[object]]
F = TypeVar("F", bound=EventHandler)


class Handlers:
    """A service's handlers of consumed events, by event model."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], tuple[type[Event], EventHandler]] = {}

    def on(self, *models: type[Event]) -> Callable[[F], F]:
        """Register the decorated ``async def handler(runtime, event)`` for ``models``."""

        def register(handler: F) -> F:
            for model in models:
                address = (model.source, model.type)
                if address in self._routes:
                    raise ValueError(f"{model.source}'s {model.type} has a handler already")
                self._routes[address] = (model, handler)
            return handler

        return register

    @property
    def models(self) -> list[type[Event]]:
        """The consumed events, in the order their handlers were registered."""
        return [model for model, _ in self._routes.values()]

    @property
    def sources(self) -> list[str]:
        """The streams to read: the producers of the consumed events."""
        return sorted({source for source, _ in self._routes})

    def delivery(self, envelope: Envelope) -> Delivery[Event] | None:
        """The envelope as its handler gets it; None when no handler takes it."""
        route = self._routes.get((envelope.source, envelope.type))
        return None if route is None else Delivery(envelope, route[0])

    def handler(self, runtime: DatabaseRuntime) -> Handler:
        """The bus handler calling these handlers (``ServiceParts.handler``)."""
        routes = self._routes

        async def handle(envelope: Envelope) -> None:
            route = routes.get((envelope.source, envelope.type))
            if route is None:
                return
            model, handler = route
            try:
                await handler(runtime, Delivery(envelope, model))
            except Repeated:
                return  # handled before: acknowledged, nothing changes again

        return handle
