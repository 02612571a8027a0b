"""What routing asks chat over HTTP: an inbox it has not heard of yet.

The only HTTP calls routing makes, so the client is routing's own: built when it starts, closed
when it stops (``service/state.py``), and not part of every service's runtime.
"""

from __future__ import annotations

from uuid import UUID

import httpx

from switchboard.routing.errors import ChatUnavailable, InboxNotFound

__all__ = ["Chat", "fetch_inbox_name"]


class Chat:
    """Chat's base URL and the client routing calls it with."""

    def __init__(self, url: str, http: httpx.AsyncClient) -> None:
        self.url = url
        self.http = http


async def fetch_inbox_name(chat: Chat, *, inbox_id: UUID, authorization: str) -> str:
    """The inbox's name from chat, asked with the caller's own credentials.

    Chat scopes the lookup to the caller's account, so another account's inbox is a 404.
    """
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
