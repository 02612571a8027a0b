"""Annotated dependencies shared by chat's routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query

ORIGIN_MAX_LENGTH = 200


async def _origin(  # async: a plain def dependency runs in a worker thread
    x_switchboard_origin: Annotated[
        str | None,
        Header(
            max_length=ORIGIN_MAX_LENGTH,
            include_in_schema=False,
            description="Set by the gateway: '<connection id>:<request id>'",
        ),
    ] = None,
) -> str | None:
    return x_switchboard_origin or None


OriginDep = Annotated[str | None, Depends(_origin)]
LimitQuery = Annotated[int, Query(ge=1, le=100, description="Items per page (1 to 100).")]
CursorQuery = Annotated[
    str | None, Query(max_length=512, description="The next_cursor of the previous page.")
]
