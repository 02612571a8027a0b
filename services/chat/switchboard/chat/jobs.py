"""The arq worker of chat: snooze wake-ups, and a sweep for wake-ups that were lost."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from arq import cron
from arq.connections import RedisSettings

from switchboard.chat.service import conversations
from switchboard.chat.store.models import Base
from switchboard.core.runtime import Runtime, job_queue_name
from switchboard.core.settings import get_settings

_OWNED = "chat_owns_runtime"


async def wake_conversation(
    ctx: dict[str, Any], account_id: str, conversation_id: str, snoozed_until: str
) -> bool:
    """Reopen a snoozed conversation if it is still snoozed until that time."""
    runtime: Runtime = ctx["runtime"]
    return await conversations.wake_conversation(
        runtime,
        account_id=UUID(account_id),
        conversation_id=UUID(conversation_id),
        scheduled_for=datetime.fromisoformat(snoozed_until),
    )


async def wake_overdue_conversations(ctx: dict[str, Any]) -> int:
    """Wake snoozes whose job was lost (Redis down when they were snoozed)."""
    runtime: Runtime = ctx["runtime"]
    return await conversations.wake_overdue_conversations(runtime)


async def startup(ctx: dict[str, Any]) -> None:
    """Build the runtime, unless the caller handed one in ``ctx`` (tests do)."""
    if "runtime" not in ctx:
        ctx["runtime"] = Runtime("chat", get_settings(), Base.metadata)
        ctx[_OWNED] = True


async def shutdown(ctx: dict[str, Any]) -> None:
    if ctx.pop(_OWNED, False):
        runtime: Runtime = ctx.pop("runtime")
        await runtime.close()


class WorkerSettings:
    """arq settings; the CLI sets ``queue_name`` (and ``redis_settings``) before running."""

    functions: ClassVar[list[Any]] = [wake_conversation]
    cron_jobs: ClassVar[list[Any]] = [
        cron(wake_overdue_conversations, second={7}, run_at_startup=False)
    ]
    on_startup = startup
    on_shutdown = shutdown
    queue_name = job_queue_name(get_settings(), "chat")
    redis_settings = RedisSettings.from_dsn(get_settings().redis_url)
