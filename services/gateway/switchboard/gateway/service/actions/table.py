"""The action table: action name -> payload model -> handler, each pairing made once.

The protocol names its actions and their payloads once, in ``domain/frames.py``
(``ACTION_PAYLOADS``, what ``parse_payload`` reads). A handler is registered once, where it is
written, by the payload it takes::

    router = ActionRouter()

    @router.action(TypingPayload)
    async def typing(call: Call[TypingPayload]) -> Answer: ...

and ``ActionTable`` gathers the routers of every concern, refusing to build (the gateway does
not start) while an action of the protocol has no handler or two.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from switchboard.gateway.domain.frames import ACTION_PAYLOADS, RequestFrame
from switchboard.gateway.service.actions.parts import ActionParts, Answer
from switchboard.gateway.service.connection import Connection

__all__ = ["ActionRouter", "ActionTable", "Call", "Handler"]

P = TypeVar("P", bound=BaseModel)


@dataclass(frozen=True)
class Call(Generic[P]):
    """One request of a socket as its handler gets it: what the gateway reaches (``parts``),
    the socket (``connection``), the request frame and its parsed payload."""

    parts: ActionParts
    connection: Connection
    request: RequestFrame
    payload: P

    async def ask(self, method: str, service: str, path: str, body: Any = None) -> Answer:
        """The service's answer, asked as the socket's caller; the events the call causes name
        this request as their origin."""
        return await self.parts.call_as(
            self.connection, method, service, path, json=body, cause=self.request
        )


Handler = Callable[[Call[P]], Awaitable[Answer]]


class ActionRouter:
    """The handlers of one concern, by the payload model each takes."""

    def __init__(self) -> None:
        self.handlers: dict[type[BaseModel], Handler[Any]] = {}

    def action(self, payload: type[P]) -> Callable[[Handler[P]], Handler[P]]:
        def register(handler: Handler[P]) -> Handler[P]:
            if payload in self.handlers:
                raise ValueError(f"{payload.__name__} has a handler already")
            self.handlers[payload] = handler
            return handler

        return register


class ActionTable:
    """Every action's handler, found by its parsed payload."""

    def __init__(self, *routers: ActionRouter) -> None:
        handlers: dict[type[BaseModel], Handler[Any]] = {}
        for router in routers:
            twice = handlers.keys() & router.handlers.keys()
            if twice:
                raise ValueError(f"handled twice: {sorted(model.__name__ for model in twice)}")
            handlers.update(router.handlers)
        payloads = set(ACTION_PAYLOADS.values())
        unhandled = sorted(name for name, model in ACTION_PAYLOADS.items() if model not in handlers)
        strays = sorted(model.__name__ for model in handlers if model not in payloads)
        if unhandled or strays:
            raise ValueError(f"actions without a handler {unhandled}, handlers of none {strays}")
        self._handlers = handlers

    def handler_for(self, payload: BaseModel) -> Handler[Any]:
        return self._handlers[type(payload)]
