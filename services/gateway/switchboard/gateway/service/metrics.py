"""The gateway's own metric: its live sockets, next to the shared ones at /metrics."""

from __future__ import annotations

from collections.abc import Iterable
from typing import get_args

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from switchboard.gateway.domain.audience import ConnectionKind
from switchboard.gateway.service.hub import Hub

__all__ = ["LiveSockets"]


class LiveSockets(Collector):
    """Logged-in sockets of this gateway instance, by kind, counted at scrape time."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    def collect(self) -> Iterable[Metric]:
        sockets = GaugeMetricFamily(
            "switchboard_gateway_sockets",
            "Logged-in sockets of this gateway instance, by kind (agent, visitor).",
            labels=["kind"],
        )
        for kind in get_args(ConnectionKind):
            sockets.add_metric([kind], self.hub.count(kind))
        return [sockets]
