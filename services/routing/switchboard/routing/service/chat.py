"""What routing asks chat over HTTP: an inbox it has not heard of yet."""

from __future__ import annotations

from uuid import UUID

import httpx

from switchboard.core.errors import AppError, NotFound
from switchboard.core.runtime import Runtime


class ChatUnavailable(AppError):
    status_code = 503
    code = "chat_unavailable"


async def fetch_inbox_name(runtime: Runtime, *, inbox_id: UUID, authorization: str) -> str:
    """The inbox's name from chat, asked with the caller's own credentials.

    Chat scopes the lookup to the caller's account, so another account's inbox is a 404.
    """
    url = f"{runtime.settings.service_url('chat')}/v1/inboxes/{inbox_id}"
    try:
        response = await runtime.http.get(url, headers={"authorization": authorization})
    except httpx.HTTPError as exc:
        raise ChatUnavailable("chat could not be reached to look up the inbox") from exc
    if response.status_code in (403, 404):
        raise NotFound("no such inbox", code="inbox_not_found")
    if response.status_code != 200:
        raise ChatUnavailable(f"chat answered {response.status_code} for the inbox")
    try:
        return str(response.json()["name"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ChatUnavailable("chat answered an unexpected inbox body") from exc
