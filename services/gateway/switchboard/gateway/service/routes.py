"""The REST front's knowledge of the upstreams: their OpenAPI documents and the route table."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import structlog

from switchboard.core.errors import UpstreamUnavailable
from switchboard.core.loops import one_round
from switchboard.core.openapi import merge_openapi
from switchboard.core.settings import Settings
from switchboard.gateway.domain.routes import Route, RouteTable
from switchboard.gateway.service.upstream import ServiceClient, UpstreamRefused

__all__ = ["PUBLIC_DESCRIPTION", "PUBLIC_TITLE", "UPSTREAMS", "Upstreams"]

log = structlog.get_logger(__name__)

UPSTREAMS = ("chat", "routing", "tickets", "analytics")
PUBLIC_TITLE = "Switchboard public API"
PUBLIC_DESCRIPTION = (
    "Every public REST path of the Switchboard services, behind the gateway's one base URL. "
    'Errors share one shape: {"error": {"code", "message", "details"}}. '
    "The websocket protocol is documented in asyncapi.yaml."
)


class Upstreams:
    """Fetches each upstream's ``/openapi.json`` until it answers, and refreshes on demand."""

    def __init__(
        self,
        settings: Settings,
        client: ServiceClient,
        *,
        names: tuple[str, ...] = UPSTREAMS,
        min_refresh_seconds: float = 3.0,
        fetch_timeout: float = 3.0,
    ) -> None:
        self.urls = {name: settings.service_url(name) for name in names}
        self.client = client
        self.documents: dict[str, dict[str, Any]] = {}
        self.table = RouteTable({})
        self.min_refresh_seconds = min_refresh_seconds
        self.fetch_timeout = fetch_timeout
        self._refreshed_at = float("-inf")
        self._lock = asyncio.Lock()
        self._reported: set[str] = set()

    @property
    def missing(self) -> list[str]:
        return [name for name in self.urls if name not in self.documents]

    def url(self, name: str) -> str:
        return self.urls[name]

    def match(self, path: str) -> Route | None:
        return self.table.match(path)

    async def _fetch(self, name: str) -> None:
        url = f"{self.urls[name]}/openapi.json"
        try:
            document = await self.client.call("GET", url, timeout_seconds=self.fetch_timeout)
        except (UpstreamUnavailable, UpstreamRefused) as exc:
            if name not in self.documents and name not in self._reported:
                self._reported.add(name)  # once: the loop retries every few seconds
                log.info("upstream_openapi_unavailable", upstream=name, error=repr(exc))
            return
        if isinstance(document, dict) and isinstance(document.get("paths"), dict):
            self.documents[name] = document

    async def refresh(self) -> None:
        """Fetch every upstream's document again and rebuild the route table."""
        async with self._lock:
            self._refreshed_at = time.monotonic()
            await asyncio.gather(*(self._fetch(name) for name in self.urls))
            self.table = RouteTable(
                {name: list(doc["paths"]) for name, doc in self.documents.items()}
            )

    async def refresh_if_due(self) -> bool:
        """Refresh unless the last refresh was less than ``min_refresh_seconds`` ago."""
        if time.monotonic() - self._refreshed_at < self.min_refresh_seconds:
            return False
        await self.refresh()
        return True

    async def run(self, *, settled_interval: float = 60.0) -> None:
        """Retry the missing upstreams with a growing pause; then refresh now and then."""
        pause = 0.5
        while True:
            await one_round(self.refresh(), "upstream_refresh_failed")
            if self.missing:
                await asyncio.sleep(pause)
                pause = min(pause * 2, 5.0)
            else:
                pause = 0.5
                await asyncio.sleep(settled_interval)

    def merged(self, own: dict[str, Any]) -> dict[str, Any]:
        """The public document: every upstream's paths and the gateway's own."""
        documents = {**self.documents, "gateway": own}
        merged = merge_openapi(documents, title=PUBLIC_TITLE, description=PUBLIC_DESCRIPTION)
        if self.missing:
            merged["info"]["x-missing-upstreams"] = self.missing
        return merged
