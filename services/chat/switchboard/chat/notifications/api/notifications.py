"""The agent's own notifications: list them, read one, read them all."""

from uuid import UUID

from fastapi import APIRouter

from switchboard.chat.errors import NotificationNotFound
from switchboard.chat.notifications.api.schemas import AllRead, NotificationPage
from switchboard.chat.notifications.service import notifications
from switchboard.contracts.chat import Notification
from switchboard.core.auth import AgentDep
from switchboard.core.pagination import PageDep
from switchboard.core.routes import answers
from switchboard.core.runtime import DatabaseRuntimeDep

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])


@router.get("", **answers(NotificationPage))
async def list_notifications(
    agent: AgentDep, runtime: DatabaseRuntimeDep, page: PageDep
) -> NotificationPage:
    """The caller's own notifications, newest first, with his unread count."""
    listed = await notifications.list_notifications(runtime, caller=agent, page=page)
    return NotificationPage.of(listed)


@router.post("/read", **answers(AllRead))
async def read_all_notifications(agent: AgentDep, runtime: DatabaseRuntimeDep) -> AllRead:
    """Mark every notification of the caller read; his other devices hear notification.read."""
    read = await notifications.mark_all_read(runtime, caller=agent)
    return AllRead(read=read, unread_count=0)


@router.post("/{notification_id}/read", **answers(Notification, NotificationNotFound))
async def read_notification(
    notification_id: UUID, agent: AgentDep, runtime: DatabaseRuntimeDep
) -> Notification:
    """Mark one of the caller's notifications read (again: no change); his other devices hear
    notification.read. Another agent's answers 404."""
    read = await notifications.mark_read(runtime, caller=agent, notification_id=notification_id)
    return Notification.model_validate(read)
