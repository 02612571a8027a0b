"""``switchboard up``: every service and worker as child processes, stopped together."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from types import FrameType

import httpx

from switchboard.cli.processes import migrate
from switchboard.core.service import service_specs

__all__ = ["up_command"]

READY_TIMEOUT_SECONDS = 120.0
STOP_TIMEOUT_SECONDS = 10.0


@dataclass
class Child:
    label: str
    process: subprocess.Popen[bytes]
    ready_url: str | None = None


class Stop(Exception):
    """A signal asked us to stop."""


def _start(label: str, args: list[str], ready_url: str | None = None) -> Child:
    # A session of its own: Ctrl-C reaches only us, and we stop the children in order.
    process = subprocess.Popen(
        [sys.executable, "-m", "switchboard.cli", *args], start_new_session=True
    )
    return Child(label, process, ready_url)


def _say(message: str) -> None:
    print(message, flush=True)


def _died(children: list[Child]) -> Child | None:
    return next((child for child in children if child.process.poll() is not None), None)


def _wait_ready(children: list[Child]) -> Child | None:
    """Wait until every service answers /readyz; the child that died instead, if any."""
    waiting = [child for child in children if child.ready_url]
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    with httpx.Client(timeout=2.0) as client:
        while waiting:
            dead = _died(children)
            if dead is not None:
                return dead
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
            time.sleep(0.2)
    return None


def _stop_all(children: list[Child]) -> None:
    for child in children:
        if child.process.poll() is None:
            child.process.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for child in children:
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{child.label} did not stop in time; killing it", file=sys.stderr)
            child.process.kill()
            child.process.wait()


def _raise_stop(signum: int, _: FrameType | None) -> None:
    raise Stop(signal.Signals(signum).name)


def up_command(args: argparse.Namespace) -> int:
    migrate()
    previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    children: list[Child] = []
    try:
        for spec in service_specs():
            url = f"http://127.0.0.1:{spec.default_port}"
            children.append(_start(spec.name, ["serve", spec.name], url))
            if spec.worker:
                children.append(_start(f"{spec.name} worker", ["worker", spec.name]))
        print(f"starting {len(children)} processes", file=sys.stderr, flush=True)
        dead = _wait_ready(children)
        if dead is None:
            for child in children:
                _say(f"  {child.label:<16} {child.ready_url or 'running'}")
            _say("every service is ready; Ctrl-C stops them all")
            while (dead := _died(children)) is None:
                time.sleep(0.5)
        print(f"{dead.label} exited with {dead.process.returncode}", file=sys.stderr)
        return 1
    except Stop as stop:
        print(f"stopping ({stop})", file=sys.stderr)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _stop_all(children)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
