"""One websocket connection: who it is, what it hears, and its single writer."""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import orjson
import structlog
from starlette.websockets import WebSocket

from switchboard.core.auth import Principal
from switchboard.core.events import Envelope
from switchboard.gateway.domain.audience import ConnectionKind, matches
from switchboard.gateway.domain.frames import push_frame

__all__ = ["Close", "CloseCode", "Connection"]

log = structlog.get_logger(__name__)


class CloseCode:
    """Websocket close codes of the protocol (the reason names the cause)."""

    login_timeout = 4001  # reason "login_timeout": reconnect and log in at once
    slow_consumer = 4008  # reason "slow_consumer": reconnect and resume
    token_expired = 4401  # reason "token_expired": refresh the token, then reconnect
    unauthorized = 4403  # reason "invalid_token" or "wrong_socket": do not reconnect as is
    idle_timeout = 4408  # reason "idle_timeout": ping more often
    going_away = 1001  # the gateway is shutting down: reconnect (to another instance)


@dataclass(frozen=True)
class Close:
    code: int
    reason: str


# Frames waiting for a slow client beyond this close it (it can reconnect and resume).
SEND_QUEUE_LIMIT = 2000
_REMEMBERED = 10_000


class Connection:
    """A socket's state; frames go out in order through one queue and one writer task."""

    def __init__(self, websocket: WebSocket, kind: ConnectionKind) -> None:
        self.id = uuid4().hex
        self.websocket = websocket
        self.kind: ConnectionKind = kind
        self.principal: Principal | None = None
        self.token: str | None = None
        self.audience: frozenset[str] = frozenset()
        self.inbox_ids: list[str] = []
        self.away = False
        self.closing: Close | None = None
        self._queue: asyncio.Queue[dict[str, Any] | Close] = asyncio.Queue()
        self._delivered: OrderedDict[str, None] = OrderedDict()
        self._resuming = False
        self._held: list[tuple[str, Envelope]] = []
        self._expiry: asyncio.TimerHandle | None = None

    @property
    def logged_in(self) -> bool:
        return self.principal is not None

    @property
    def account_id(self) -> str:
        assert self.principal is not None
        return str(self.principal.account_id)

    @property
    def principal_id(self) -> str:
        assert self.principal is not None
        return str(self.principal.id)

    def send(self, frame: dict[str, Any]) -> None:
        if self.closing is not None:
            return
        if self._queue.qsize() >= SEND_QUEUE_LIMIT:
            log.warning("ws_slow_consumer", connection_id=self.id)
            self.close(CloseCode.slow_consumer, "slow_consumer", flush=False)
            return
        self._queue.put_nowait(frame)

    def close(self, code: int, reason: str, *, flush: bool = True) -> None:
        """Close after the frames already queued (or at once, dropping them)."""
        if self.closing is not None:
            return
        self.closing = Close(code, reason)
        if not flush:
            while not self._queue.empty():
                self._queue.get_nowait()
        self._queue.put_nowait(self.closing)
        self.cancel_expiry()

    def expire_at(self, delay_seconds: float) -> None:
        """Close with ``token_expired`` when the token runs out."""
        self.cancel_expiry()
        loop = asyncio.get_running_loop()
        self._expiry = loop.call_later(
            max(delay_seconds, 0.0), self.close, CloseCode.token_expired, "token_expired"
        )

    def cancel_expiry(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None

    def hears(self, envelope: Envelope) -> bool:
        if self.principal is None:
            return False
        return matches(self.account_id, self.audience, envelope.account_id, envelope.audience)

    def offer(self, entry_id: str, envelope: Envelope) -> None:
        """A live event from the fan-out (already known to match this connection)."""
        if self._resuming:
            self._held.append((entry_id, envelope))
            return
        self.push(entry_id, envelope)

    def push(self, entry_id: str, envelope: Envelope) -> bool:
        """Send the event unless this connection already got it; True when sent."""
        if entry_id in self._delivered:
            return False
        self._delivered[entry_id] = None
        if len(self._delivered) > _REMEMBERED:
            self._delivered.popitem(last=False)
        self.send(
            push_frame(
                entry_id,
                envelope.type,
                envelope.data,
                origin=envelope.origin,
                connection_id=self.id,
            )
        )
        return True

    def begin_resume(self) -> None:
        """Hold live events while missed ones are replayed, so the client sees them in order."""
        self._resuming = True

    def end_resume(self) -> None:
        held, self._held = self._held, []
        self._resuming = False
        for entry_id, envelope in held:
            self.push(entry_id, envelope)

    async def write_loop(self) -> None:
        while True:
            item = await self._queue.get()
            if isinstance(item, Close):
                with contextlib.suppress(Exception):
                    await self.websocket.close(item.code, item.reason)
                return
            try:
                await self.websocket.send_text(orjson.dumps(item).decode())
            except Exception:
                self.closing = self.closing or Close(1006, "send_failed")
                return
