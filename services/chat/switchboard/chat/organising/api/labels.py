"""The account's labels: every agent reads them, supervisors and admins manage them."""

from uuid import UUID

from fastapi import APIRouter, Response

from switchboard.chat.api.deps import OriginDep
from switchboard.chat.errors import LabelNameTaken, LabelNotFound
from switchboard.chat.organising.api.schemas import LabelCreate, LabelRead, LabelUpdate
from switchboard.chat.organising.service import labels
from switchboard.core.auth import AgentDep, SupervisorDep
from switchboard.core.pagination import Page, PageDep
from switchboard.core.routes import answers, creates, done, lists, removes
from switchboard.core.runtime import DatabaseRuntimeDep

router = APIRouter(prefix="/v1/labels", tags=["labels"])


@router.get("", **lists(LabelRead))
async def list_labels(
    agent: AgentDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> Page[LabelRead]:
    """The account's labels (categories such as after-sales or logistics too), oldest first."""
    listed = await labels.list_labels(runtime, account_id=agent.account_id, page=page)
    return Page.of_rows(listed, LabelRead.model_validate)


@router.post("", **creates(LabelRead, LabelNameTaken))
async def create_label(
    body: LabelCreate, supervisor: SupervisorDep, runtime: DatabaseRuntimeDep, origin: OriginDep
) -> LabelRead:
    """Create a label (supervisors and admins); its name is unique in the account."""
    label = await labels.create_label(
        runtime,
        account_id=supervisor.account_id,
        name=body.name,
        colour=body.colour,
        origin=origin,
    )
    return LabelRead.model_validate(label)


@router.patch("/{label_id}", **answers(LabelRead, LabelNotFound, LabelNameTaken))
async def update_label(
    label_id: UUID,
    body: LabelUpdate,
    supervisor: SupervisorDep,
    runtime: DatabaseRuntimeDep,
    origin: OriginDep,
) -> LabelRead:
    """Rename a label or change its colour (supervisors and admins)."""
    label = await labels.update_label(
        runtime,
        account_id=supervisor.account_id,
        label_id=label_id,
        name=body.name,
        colour=body.colour,
        origin=origin,
    )
    return LabelRead.model_validate(label)


@router.delete("/{label_id}", **removes(LabelNotFound))
async def delete_label(
    label_id: UUID, supervisor: SupervisorDep, runtime: DatabaseRuntimeDep, origin: OriginDep
) -> Response:
    """Delete a label (supervisors and admins): it leaves every conversation it was on."""
    await labels.delete_label(
        runtime, account_id=supervisor.account_id, label_id=label_id, origin=origin
    )
    return done()
