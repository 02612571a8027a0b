from typing import Annotated

from fastapi import APIRouter, Query

from switchboard.analytics.api.schemas import DailyActivityRead
from switchboard.analytics.errors import InvalidRange
from switchboard.analytics.service.activity import daily_activity
from switchboard.contracts.inputs import Day
from switchboard.core.auth import SupervisorDep
from switchboard.core.pagination import Items
from switchboard.core.routes import answers
from switchboard.core.runtime import DatabaseRuntimeDep

router = APIRouter(prefix="/v1/analytics", tags=["analytics"])


@router.get("/daily", **answers(Items[DailyActivityRead], InvalidRange))
async def list_daily_activity(
    supervisor: SupervisorDep,
    runtime: DatabaseRuntimeDep,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
) -> Items[DailyActivityRead]:
    """Conversations and messages per UTC day of the caller's account (default: last 30 days)."""
    rows = await daily_activity(runtime, account_id=supervisor.account_id, start=start, end=end)
    return Items.of(rows, DailyActivityRead.model_validate)
