"""What routing asks chat over HTTP: an inbox it has not heard of yet.

The only HTTP calls routing makes, so the client is routing's own: built when it starts, closed
when it stops (``app.py``), and not part of every service's runtime.
"""

from __future__ import annotations

from uuid import UUID

import httpx

from switchboard.core.runtime import Runtime
from switchboard.core.settings import Settings
from switchboard.routing.errors import ChatUnavailable, InboxNotFound

__all__ = ["Chat", "fetch_inbox_name"]


class Chat:
    """Chat's base URL and the client routing calls it with."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.service_url("chat")
        self.http: httpx.AsyncClient | None = None

    async def open(self, _: Runtime) -> None:
        self.http = httpx.AsyncClient(timeout=10.0)

    async def close(self, _: Runtime) -> None:
        if self.http is not None:
            await self.http.aclose()


async def fetch_inbox_name(chat: Chat, *, inbox_id: UUID, authorization: str) -> str:
    """The inbox's name from chat, asked with the caller's own credentials.

    Chat scopes the lookup to the caller's account, so another account's inbox is a 404.
    """
    assert chat.http is not None, "routing has not started"
    try:
        response = await chat.http.get(
            f"{chat.url}/v1/inboxes/{inbox_id}", headers={"authorization": authorization}
        )
    except httpx.HTTPError as exc:
        raise ChatUnavailable() from exc
    if response.status_code in (403, 404):
        raise InboxNotFound()
    if response.status_code != 200:
        raise ChatUnavailable(f"chat answered {response.status_code} for the inbox")
    try:
        return str(response.json()["name"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ChatUnavailable("chat answered an unexpected inbox body") from exc
