"""The conversations a ``typing`` needs, fetched from chat with the caller's token and kept
briefly (typing comes in bursts)."""

from __future__ import annotations

import time
from typing import Any

from switchboard.gateway.service.connection import Connection
from switchboard.gateway.service.upstream import ServiceClient

__all__ = ["ConversationCache"]

_MAX_ENTRIES = 10_000


class ConversationCache:
    def __init__(self, client: ServiceClient, chat_url: str, *, ttl_seconds: float = 5.0) -> None:
        self.client = client
        self.chat_url = chat_url
        self.ttl_seconds = ttl_seconds
        # Keyed by the caller too: an entry proves that this caller may see the conversation.
        self._entries: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}

    async def get(self, connection: Connection, conversation_id: str) -> dict[str, Any] | None:
        """The conversation as its caller sees it; ``None`` when chat shows him none such."""
        key = (connection.principal_id, conversation_id)
        now = time.monotonic()
        cached = self._entries.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        conversation = await self._fetch(connection, conversation_id)
        if conversation is None:
            return None
        if len(self._entries) >= _MAX_ENTRIES:
            self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
        self._entries[key] = (now + self.ttl_seconds, conversation)
        return conversation

    async def _fetch(self, connection: Connection, conversation_id: str) -> dict[str, Any] | None:
        assert connection.token is not None
        if connection.kind == "agent":
            found = await self.client.call(
                "GET",
                f"{self.chat_url}/v1/conversations/{conversation_id}",
                token=connection.token,
            )
            return found if isinstance(found, dict) else None
        listing = await self.client.call(
            "GET",
            f"{self.chat_url}/v1/public/conversations",
            token=connection.token,
            params={"limit": 100},
        )
        items = listing.get("items", []) if isinstance(listing, dict) else listing
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and str(item.get("id")) == conversation_id:
                return item
        return None
