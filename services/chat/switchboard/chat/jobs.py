"""The arq worker of chat: snooze wake-ups, a sweep for wake-ups that were lost, and one for
uploads nobody sent. Each job sits beside its use case; this lists them."""

from __future__ import annotations

from typing import Any

from arq import cron

from switchboard.chat.attachments.service.sweep import remove_unsent_attachments
from switchboard.chat.service import conversations
from switchboard.chat.store.models import Base
from switchboard.core.worker import job_runtime, worker_settings


async def wake_overdue_conversations(ctx: dict[str, Any]) -> int:
    """Wake snoozes whose job was lost (Redis down when they were snoozed)."""
    return await conversations.wake_overdue_conversations(job_runtime(ctx))


async def remove_unsent_uploads(ctx: dict[str, Any]) -> int:
    """Remove uploads no message took within SB_ATTACHMENT_UNSENT_TTL_SECONDS."""
    return await remove_unsent_attachments(job_runtime(ctx))


WorkerSettings = worker_settings(
    "chat",
    Base.metadata,
    functions=[conversations.wake_conversation_job],
    cron_jobs=[
        cron(wake_overdue_conversations, second={7}, run_at_startup=False),
        cron(remove_unsent_uploads, minute=set(range(3, 60, 10)), second={37}),
    ],
)
