"""Local ports for servers a test starts, or for a service nobody runs."""

from __future__ import annotations

import socket

__all__ = ["free_port"]


def free_port() -> int:
    """A local TCP port nobody listens on (the kernel's choice, released at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
