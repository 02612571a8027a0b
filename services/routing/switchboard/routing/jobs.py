"""The arq worker of routing: offer and transfer expiry, response timers, and a sweep for
the ones whose job was lost."""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

from arq import cron
from arq.connections import RedisSettings

from switchboard.core.runtime import Runtime, job_queue_name
from switchboard.core.settings import get_settings
from switchboard.routing.assignment.service import offers, timers
from switchboard.routing.assignment.service.expiry import expire_overdue
from switchboard.routing.store.models import Base
from switchboard.routing.transfers.service import answers as transfer_answers

_OWNED = "routing_owns_runtime"


async def expire_offer(ctx: dict[str, Any], account_id: str, offer_id: str) -> bool:
    """Withdraw a broadcast offer nobody accepted in time; the conversation is offered again."""
    return await offers.expire_offer(
        ctx["runtime"], account_id=UUID(account_id), offer_id=UUID(offer_id)
    )


async def expire_transfer(ctx: dict[str, Any], account_id: str, transfer_id: str) -> bool:
    """End a transfer nobody answered in time; the requester keeps the conversation."""
    return await transfer_answers.expire_transfer(
        ctx["runtime"], account_id=UUID(account_id), transfer_id=UUID(transfer_id)
    )


async def response_timeout(
    ctx: dict[str, Any], account_id: str, conversation_id: str, agent_id: str
) -> bool:
    """Reassign a conversation whose assignee did not reply in time."""
    return await timers.response_timeout(
        ctx["runtime"],
        account_id=UUID(account_id),
        conversation_id=UUID(conversation_id),
        agent_id=UUID(agent_id),
    )


async def expire_overdue_work(ctx: dict[str, Any]) -> int:
    """Whatever is overdue and whose job was lost (Redis down when it was scheduled)."""
    return await expire_overdue(ctx["runtime"])


async def startup(ctx: dict[str, Any]) -> None:
    """Build the runtime, unless the caller handed one in ``ctx`` (tests do)."""
    if "runtime" not in ctx:
        ctx["runtime"] = Runtime("routing", get_settings(), Base.metadata)
        ctx[_OWNED] = True


async def shutdown(ctx: dict[str, Any]) -> None:
    if ctx.pop(_OWNED, False):
        runtime: Runtime = ctx.pop("runtime")
        await runtime.close()


class WorkerSettings:
    """arq settings; the CLI sets ``queue_name`` (and ``redis_settings``) before running."""

    functions: ClassVar[list[Any]] = [expire_offer, expire_transfer, response_timeout]
    cron_jobs: ClassVar[list[Any]] = [cron(expire_overdue_work, second={23}, run_at_startup=True)]
    on_startup = startup
    on_shutdown = shutdown
    queue_name = job_queue_name(get_settings(), "routing")
    redis_settings = RedisSettings.from_dsn(get_settings().redis_url)
