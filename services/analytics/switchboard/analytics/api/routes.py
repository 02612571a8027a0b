from typing import Annotated

from fastapi import APIRouter, Query

from switchboard.analytics.api.schemas import DailyActivityList, DailyActivityRead
from switchboard.analytics.errors import InvalidRange
from switchboard.analytics.service.activity import daily_activity
from switchboard.core.auth import SupervisorDep
from switchboard.core.openapi import refusals
from switchboard.core.runtime import SessionDep
from switchboard.core.values import Day

router = APIRouter(prefix="/v1/analytics", tags=["analytics"])


@router.get("/daily", response_model=DailyActivityList, responses=refusals(InvalidRange))
async def list_daily_activity(
    supervisor: SupervisorDep,
    session: SessionDep,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
) -> DailyActivityList:
    """Conversations and messages per UTC day of the caller's account (default: last 30 days)."""
    rows = await daily_activity(session, account_id=supervisor.account_id, start=start, end=end)
    return DailyActivityList(
        items=[
            DailyActivityRead(day=r.day, conversations=r.conversations, messages=r.messages)
            for r in rows
        ]
    )
