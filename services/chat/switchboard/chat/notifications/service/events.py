"""The envelopes of the notifications feature: each to its agent, every device of his."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from switchboard.chat.notifications.store.models import Notification
from switchboard.contracts import chat as contract
from switchboard.contracts.values import Audience
from switchboard.core.events import Envelope


def shown(notification: Notification) -> contract.Notification:
    return contract.Notification.model_validate(notification)


def notification_created(notification: Notification, *, unread_count: int) -> Envelope:
    payload = contract.NotificationCreated(
        agent_id=notification.agent_id,
        notification=shown(notification),
        unread_count=unread_count,
    )
    return _to(notification.account_id, notification.agent_id, payload)


def notification_read(
    account_id: UUID,
    agent_id: UUID,
    *,
    notification_id: UUID | None,
    read_at: datetime,
    unread_count: int,
) -> Envelope:
    payload = contract.NotificationRead(
        agent_id=agent_id,
        notification_id=notification_id,
        read_at=read_at,
        unread_count=unread_count,
    )
    return _to(account_id, agent_id, payload)


def notification_deleted(
    account_id: UUID, agent_id: UUID, *, notification_id: UUID, unread_count: int
) -> Envelope:
    payload = contract.NotificationDeleted(
        agent_id=agent_id, notification_id=notification_id, unread_count=unread_count
    )
    return _to(account_id, agent_id, payload)


def _to(account_id: UUID, agent_id: UUID, payload: contract.ChatEvent) -> Envelope:
    return Envelope.of(
        payload, account_id=account_id, key=agent_id, audience=[Audience.agent(agent_id)]
    )
