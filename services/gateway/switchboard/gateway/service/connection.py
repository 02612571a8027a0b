"""One websocket connection: who it is, what it hears, its writer and its one timer.

An idle socket costs little: no writer task, no outbound queue and no remembered pushes until
there is something to send, and one timer handle for the login deadline, the idle timeout and
the token expiry together (re-armed only when it fires, not on every frame).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections import OrderedDict, deque
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
    # reason "token_expired" or "session_changed": refresh the token, then reconnect
    token_expired = 4401
    # reason "invalid_token", "wrong_socket" or "session_revoked": do not reconnect as is
    unauthorized = 4403
    idle_timeout = 4408  # reason "idle_timeout": ping more often
    rate_limited = 4029  # reason "rate_limited": it kept sending after being told to slow down
    going_away = 1001  # the gateway is shutting down: reconnect (to another instance)


@dataclass(frozen=True)
class Close:
    code: int
    reason: str


# Frames waiting for a slow client beyond this close it (it can reconnect and resume).
SEND_QUEUE_LIMIT = 2000
_REMEMBERED = 10_000
# The loop clock and its timers have millisecond steps: a timer may wake a hair before its time.
_TIMER_SLACK = 0.002


class Connection:
    """A socket's state; frames go out in order through one backlog drained by one writer."""

    __slots__ = (
        "_allowance",
        "_allowance_at",
        "_backlog",
        "_delivered",
        "_expires_at",
        "_heard_at",
        "_held",
        "_idle_seconds",
        "_login_by",
        "_loop",
        "_refused",
        "_resuming",
        "_serving",
        "_timer",
        "_writer",
        "audience",
        "away",
        "closing",
        "id",
        "inbox_ids",
        "kind",
        "principal",
        "token",
        "websocket",
    )

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
        self._loop = asyncio.get_running_loop()
        # Created when needed and dropped when empty again: most sockets are idle.
        self._backlog: deque[dict[str, Any] | Close] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._delivered: OrderedDict[str, None] | None = None
        self._resuming = False
        self._held: list[tuple[str, Envelope]] | None = None
        # One timer for the login deadline, the idle timeout and the token expiry.
        self._timer: asyncio.TimerHandle | None = None
        self._expires_at: float | None = None
        self._login_by = math.inf
        self._idle_seconds = math.inf
        self._heard_at = 0.0
        self._serving = False
        # The requests it may still send now (a token bucket), and those refused in a row.
        self._allowance = math.inf
        self._allowance_at = 0.0
        self._refused = 0

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

    # --- Sending ------------------------------------------------------------------------------

    def send(self, frame: dict[str, Any]) -> None:
        if self.closing is not None:
            return
        backlog = self._backlog
        if backlog is None:
            backlog = self._backlog = deque()
        elif len(backlog) >= SEND_QUEUE_LIMIT:
            log.warning("ws_slow_consumer", connection_id=self.id)
            self.close(CloseCode.slow_consumer, "slow_consumer", flush=False)
            return
        backlog.append(frame)
        self._start_writer()

    def close(self, code: int, reason: str, *, flush: bool = True) -> None:
        """Close after the frames already queued (or at once, dropping them)."""
        if self.closing is not None:
            return
        self.closing = Close(code, reason)
        if self._backlog is None:
            self._backlog = deque()
        elif not flush:
            self._backlog.clear()
        self._backlog.append(self.closing)
        self._start_writer()
        self._stop_timer()

    def _start_writer(self) -> None:
        if self._writer is None:
            self._writer = self._loop.create_task(self._write())

    async def _write(self) -> None:
        """Drain the backlog in order, then end (the next frame starts a new writer)."""
        backlog = self._backlog
        assert backlog is not None
        try:
            while backlog:
                item = backlog.popleft()
                if isinstance(item, Close):
                    with contextlib.suppress(Exception):
                        await self.websocket.close(item.code, item.reason)
                    return
                try:
                    await self.websocket.send_text(orjson.dumps(item).decode())
                except Exception:
                    self.closing = self.closing or Close(1006, "send_failed")
                    return
        finally:
            self._writer = None
            if not backlog or self.closing is not None:
                self._backlog = None

    async def flushed(self, timeout: float) -> None:
        """Wait up to ``timeout`` for the writer to send what is queued, then stop it."""
        writer = self._writer
        if writer is None:
            return
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(writer, timeout=timeout)
        writer.cancel()

    # --- How fast it may send ----------------------------------------------------------------

    def allow_request(self, per_second: float, burst: int) -> bool:
        """Take one request from the bucket (``burst`` deep, refilled at ``per_second``)."""
        now = self._loop.time()
        elapsed = now - self._allowance_at
        self._allowance = min(float(burst), self._allowance + elapsed * per_second)
        self._allowance_at = now
        if self._allowance >= 1.0:
            self._allowance -= 1.0
            self._refused = 0
            return True
        self._refused += 1
        return False

    @property
    def refused_in_a_row(self) -> int:
        return self._refused

    # --- The timer: login deadline, idle timeout, token expiry ---------------------------------

    def watch(self, login_seconds: float, idle_seconds: float) -> None:
        """Close with ``login_timeout`` unless logged in within ``login_seconds``, and with
        ``idle_timeout`` after ``idle_seconds`` without a frame (not counting one being served).
        """
        now = self._loop.time()
        self._login_by = now + login_seconds
        self._idle_seconds = idle_seconds
        self._heard_at = now
        self._arm()

    def serving(self) -> None:
        """A frame arrived: the idle clock waits until it has been served."""
        self._serving = True

    def served(self) -> None:
        self._serving = False
        self._heard_at = self._loop.time()
        if self._timer is None:
            self._arm()

    def expire_at(self, delay_seconds: float) -> None:
        """Close with ``token_expired`` when the token runs out."""
        self._expires_at = self._loop.time() + max(delay_seconds, 0.0)
        self._arm()

    def cancel_expiry(self) -> None:
        self._expires_at = None

    def _due(self) -> float:
        due = math.inf if self._expires_at is None else self._expires_at
        if not self._serving:
            due = min(due, self._heard_at + self._idle_seconds)
            if self.principal is None:
                due = min(due, self._login_by)
        return due

    def _arm(self) -> None:
        if self.closing is not None:
            return
        due = self._due()
        timer = self._timer
        if timer is not None:
            if timer.when() <= due:
                return  # it fires first and re-arms then
            timer.cancel()
            self._timer = None
        if due != math.inf:
            self._timer = self._loop.call_at(due, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        if self.closing is not None:
            return
        now = self._loop.time() + _TIMER_SLACK
        if self._expires_at is not None and self._expires_at <= now:
            self.close(CloseCode.token_expired, "token_expired")
        elif not self._serving and self.principal is None and self._login_by <= now:
            self.close(CloseCode.login_timeout, "login_timeout")
        elif not self._serving and self._heard_at + self._idle_seconds <= now:
            self.close(CloseCode.idle_timeout, "idle_timeout")
        else:
            self._arm()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    # --- Pushes -------------------------------------------------------------------------------

    def hears(self, envelope: Envelope) -> bool:
        if self.principal is None:
            return False
        return matches(self.account_id, self.audience, envelope.account_id, envelope.audience)

    def offer(self, entry_id: str, envelope: Envelope) -> None:
        """A live event from the fan-out (already known to match this connection)."""
        if self._resuming:
            if self._held is None:
                self._held = []
            self._held.append((entry_id, envelope))
            return
        self.push(entry_id, envelope)

    def push(self, entry_id: str, envelope: Envelope) -> bool:
        """Send the event unless this connection already got it; True when sent."""
        delivered = self._delivered
        if delivered is None:
            delivered = self._delivered = OrderedDict()
        elif entry_id in delivered:
            return False
        delivered[entry_id] = None
        if len(delivered) > _REMEMBERED:
            delivered.popitem(last=False)
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
        held, self._held = self._held, None
        self._resuming = False
        for entry_id, envelope in held or ():
            self.push(entry_id, envelope)
