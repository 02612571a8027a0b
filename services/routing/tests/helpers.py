"""What routing's tests share besides fixtures: the seeded password, logging in, error codes."""

from __future__ import annotations

import httpx

PASSWORD = "correct horse battery"


def error_code(response: httpx.Response) -> str:
    code: str = response.json()["error"]["code"]
    return code


async def login(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD, *, address: str | None = None
) -> httpx.Response:
    """``POST /v1/auth/login``; ``address``: the caller's address (``X-Forwarded-For``)."""
    headers = {} if address is None else {"X-Forwarded-For": address}
    return await client.post(
        "/v1/auth/login", json={"email": email, "password": password}, headers=headers
    )
