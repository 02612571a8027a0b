"""The arq worker of chat: snooze wake-ups, and a sweep for wake-ups that were lost. Each job
sits beside its use case; this lists them."""

from __future__ import annotations

from typing import Any

from arq import cron

from switchboard.chat.service import conversations
from switchboard.chat.store.models import Base
from switchboard.core.worker import job_runtime, worker_settings


async def wake_overdue_conversations(ctx: dict[str, Any]) -> int:
    """Wake snoozes whose job was lost (Redis down when they were snoozed)."""
    return await conversations.wake_overdue_conversations(job_runtime(ctx))


WorkerSettings = worker_settings(
    "chat",
    Base.metadata,
    functions=[conversations.wake_conversation_job],
    cron_jobs=[cron(wake_overdue_conversations, second={7}, run_at_startup=False)],
)
