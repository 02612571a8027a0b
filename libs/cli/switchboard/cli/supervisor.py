"""``switchboard up``: every service and worker as child processes, kept running, stopped
together.

A child that dies (a crash, ``kill -9``, an out-of-memory kill) is started again after a
backoff (``switchboard.cli.restarts``); each restart is logged with the exit code. A child that
keeps dying (more than ``SB_SUPERVISOR_RESTARTS_PER_MINUTE`` times within a minute) is given
up on: ``up`` then stops everything and exits with code 1, so that whoever runs it (a
terminal, systemd, a container runtime) sees the failure instead of a suite with a hole in it.
PostgreSQL and Redis being away is not a death: the services wait for them and answer 503.

Every service listens on the port of its URL setting (``SB_CHAT_URL`` ...; the defaults are
8000-8004), which is also where the other services look for it.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from types import FrameType

import httpx

from switchboard.cli.processes import migrate, service_port
from switchboard.cli.restarts import RestartPolicy, Restarts
from switchboard.core.service import service_specs
from switchboard.core.settings import get_settings

__all__ = ["up_command"]

READY_TIMEOUT_SECONDS = 120.0
STOP_TIMEOUT_SECONDS = 10.0
TICK_SECONDS = 0.2


@dataclass
class Child:
    label: str
    args: list[str]
    restarts: Restarts
    ready_url: str | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    restart_at: float | None = None  # set while it waits for its restart

    def start(self) -> None:
        # A session of its own: Ctrl-C reaches only us, and we stop the children in order.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "switchboard.cli", *self.args], start_new_session=True
        )

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()


class Stop(Exception):
    """A signal asked us to stop."""


class GaveUp(Exception):
    """A child died too often within a minute."""


def _say(message: str) -> None:
    print(message, flush=True)


def _warn(message: str) -> None:
    print(f"switchboard up: {message}", file=sys.stderr, flush=True)


def _exit_reason(code: int) -> str:
    if code < 0:
        return f"exit code {code} (signal {signal.Signals(-code).name})"
    return f"exit code {code}"


def _children(policy: RestartPolicy) -> list[Child]:
    children: list[Child] = []
    for spec in service_specs():
        port = service_port(spec)
        children.append(
            Child(
                spec.name,
                ["serve", spec.name, "--port", str(port)],
                Restarts(policy),
                ready_url=f"http://127.0.0.1:{port}",
            )
        )
        if spec.worker:
            children.append(Child(f"{spec.name} worker", ["worker", spec.name], Restarts(policy)))
    return children


def _supervise(children: list[Child]) -> None:
    """Restart the children whose pause is over; schedule the restart of those that died."""
    now = time.monotonic()
    for child in children:
        if child.restart_at is not None:
            if now >= child.restart_at:
                child.restart_at = None
                child.start()
                assert child.process is not None
                _warn(f"restarted {child.label} (pid {child.process.pid})")
            continue
        code = child.exit_code()
        if code is None:
            continue
        delay = child.restarts.after_death(now)
        if delay is None:
            raise GaveUp(
                f"{child.label} died {child.restarts.recent(now) + 1} times within a minute"
                f" (last: {_exit_reason(code)}); giving up and stopping everything"
            )
        _warn(f"{child.label} died ({_exit_reason(code)}); restarting it in {delay:g} s")
        child.restart_at = now + delay


def _wait_ready(children: list[Child]) -> None:
    """Wait until every service answers /readyz, restarting those that die meanwhile."""
    waiting = [child for child in children if child.ready_url]
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    with httpx.Client(timeout=2.0) as client:
        while waiting:
            _supervise(children)
            if time.monotonic() > deadline:
                names = ", ".join(child.label for child in waiting)
                raise SystemExit(f"not ready after {READY_TIMEOUT_SECONDS:.0f} s: {names}")
            for child in list(waiting):
                try:
                    ready = client.get(f"{child.ready_url}/readyz").status_code == 200
                except httpx.HTTPError:
                    ready = False
                if ready:
                    waiting.remove(child)
            time.sleep(TICK_SECONDS)


def _stop_all(children: list[Child]) -> None:
    running = [child for child in children if child.exit_code() is None and child.process]
    for child in running:
        assert child.process is not None
        child.process.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for child in running:
        assert child.process is not None
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _warn(f"{child.label} did not stop in time; killing it")
            child.process.kill()
            child.process.wait()


def _raise_stop(signum: int, _: FrameType | None) -> None:
    raise Stop(signal.Signals(signum).name)


def up_command(args: argparse.Namespace) -> int:
    migrate()
    children = _children(RestartPolicy.from_settings(get_settings()))
    previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for child in children:
            child.start()
        _warn(f"starting {len(children)} processes")
        _wait_ready(children)
        for child in children:
            _say(f"  {child.label:<16} {child.ready_url or 'running'}")
        _say("every service is ready; Ctrl-C stops them all")
        while True:
            _supervise(children)
            time.sleep(TICK_SECONDS)
    except GaveUp as gave_up:
        _warn(str(gave_up))
        return 1
    except Stop as stop:
        _warn(f"stopping ({stop})")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _stop_all(children)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
