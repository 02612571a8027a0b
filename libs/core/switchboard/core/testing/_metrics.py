"""Reading a service's /metrics in a test."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

__all__ = ["metric_value"]


def metric_value(exposition: str, name: str, **labels: str) -> float | None:
    """The sample ``name`` whose labels are exactly ``labels`` in a Prometheus text exposition,
    or None when there is none (a family not yet reported, a label set not yet seen)."""
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return None
