from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from switchboard.analytics.api.schemas import DailyActivityList, DailyActivityRead
from switchboard.analytics.store import activity
from switchboard.core.auth import SupervisorDep
from switchboard.core.errors import BadRequest
from switchboard.core.events import utcnow
from switchboard.core.openapi import refusals
from switchboard.core.runtime import SessionDep
from switchboard.core.values import Day

router = APIRouter(prefix="/v1/analytics", tags=["analytics"])


@router.get(
    "/daily", response_model=DailyActivityList, responses=refusals(bad_request=["invalid_range"])
)
async def list_daily_activity(
    supervisor: SupervisorDep,
    session: SessionDep,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
) -> DailyActivityList:
    """Conversations and messages per UTC day of the caller's account (default: last 30 days)."""
    end = end or utcnow().date()
    start = start or end - timedelta(days=29)
    if start > end:
        raise BadRequest("'from' must not be after 'to'", code="invalid_range")
    if (end - start).days > 366:
        raise BadRequest("a range covers at most 366 days", code="invalid_range")
    rows = await activity.between(session, supervisor.account_id, start, end)
    return DailyActivityList(
        items=[
            DailyActivityRead(day=r.day, conversations=r.conversations, messages=r.messages)
            for r in rows
        ]
    )
