"""The agents' paths about visitors."""

from uuid import UUID

from fastapi import APIRouter, Response

from switchboard.chat.errors import VisitorNotFound
from switchboard.chat.service import visitors
from switchboard.core.auth import SupervisorDep
from switchboard.core.routes import done, removes
from switchboard.core.runtime import DatabaseRuntimeDep

router = APIRouter(prefix="/v1/visitors", tags=["visitors"])


@router.delete("/{visitor_id}/sessions", **removes(VisitorNotFound))
async def revoke_visitor_sessions(
    visitor_id: UUID, supervisor: SupervisorDep, runtime: DatabaseRuntimeDep
) -> Response:
    """End every session of a visitor (supervisors and admins): his tokens stop working and
    his sockets close; to write again he registers anew."""
    await visitors.revoke_visitor_sessions(
        runtime, account_id=supervisor.account_id, visitor_id=visitor_id
    )
    return done()
