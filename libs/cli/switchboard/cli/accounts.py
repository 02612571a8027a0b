"""``switchboard create-account`` and ``switchboard demo``: accounts made through the
services' own use cases (routing's directory, chat's inboxes), never by hand-written SQL."""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from switchboard.core.errors import AppError
from switchboard.core.runtime import Runtime
from switchboard.core.settings import get_settings

__all__ = ["create_account_command", "demo_command"]

DEMO_ACCOUNT = "Demo shop"
DEMO_ADMIN_NAME = "Demo admin"
DEMO_ADMIN_EMAIL = "admin@demo.switchboard.local"
DEMO_INBOX = "Website"
GATEWAY = "http://127.0.0.1:8000"


@asynccontextmanager
async def service_runtime(service: str) -> AsyncIterator[Runtime]:
    """A runtime on ``service``'s tables, closed afterwards."""
    from switchboard.chat.store.models import Base as ChatBase
    from switchboard.routing.store.models import Base as RoutingBase

    metadata = RoutingBase.metadata if service == "routing" else ChatBase.metadata
    runtime = Runtime(service, get_settings(), metadata)
    try:
        yield runtime
    finally:
        await runtime.close()


async def create_account(*, name: str, admin_name: str, email: str, password: str) -> Any:
    from switchboard.routing.service.accounts import create_account as create

    async with service_runtime("routing") as runtime:
        return await create(
            runtime, name=name, admin_name=admin_name, admin_email=email, admin_password=password
        )


def create_account_command(args: argparse.Namespace) -> int:
    try:
        created = asyncio.run(
            create_account(
                name=args.name,
                admin_name=args.admin_name or args.admin_email.partition("@")[0],
                email=args.admin_email,
                password=args.admin_password,
            )
        )
    except AppError as error:  # e.g. the address is taken: a message, not a traceback
        raise SystemExit(f"{error.code}: {error.message}") from None
    print(json.dumps({"account_id": str(created.account_id), "admin_id": str(created.admin_id)}))
    return 0


# The demo ---------------------------------------------------------------------------------
# Idempotent, step by step: each step looks for what an earlier run made (through the owning
# service's tables) and makes only what is missing, so an interrupted run is completed.


async def _demo_admin(password: str | None) -> tuple[UUID, UUID, str | None]:
    """The demo admin's account and id, and the password to show: a new admin gets the one
    asked for or a random one; an existing admin keeps his unless one is asked for."""
    from switchboard.routing.service.agents import set_password
    from switchboard.routing.store import agents

    async with service_runtime("routing") as routing:
        async with routing.database.session() as session:
            admin = await agents.by_email(session, DEMO_ADMIN_EMAIL)
        if admin is not None:
            if password is not None:
                await set_password(
                    routing, account_id=admin.account_id, agent_id=admin.id, password=password
                )
            return admin.account_id, admin.id, password
    password = password or secrets.token_urlsafe(12)
    created = await create_account(
        name=DEMO_ACCOUNT, admin_name=DEMO_ADMIN_NAME, email=DEMO_ADMIN_EMAIL, password=password
    )
    print(f"created the demo account {DEMO_ACCOUNT}", file=sys.stderr)
    return created.account_id, created.admin_id, password


async def _demo_inbox(account_id: UUID) -> Any:
    from sqlalchemy import select

    from switchboard.chat.service.inboxes import create_inbox
    from switchboard.chat.store.models import Inbox

    async with service_runtime("chat") as chat:
        async with chat.database.session() as session:
            inbox = await session.scalar(
                select(Inbox)
                .where(Inbox.account_id == account_id, Inbox.name == DEMO_INBOX)
                .order_by(Inbox.created_at)
                .limit(1)
            )
        if inbox is None:
            inbox = await create_inbox(chat, account_id=account_id, name=DEMO_INBOX)
            print(f"created the demo inbox {DEMO_INBOX}", file=sys.stderr)
    return inbox


async def _demo_membership(account_id: UUID, inbox_id: UUID, admin_id: UUID) -> None:
    from switchboard.routing.service.memberships import add_inbox_member
    from switchboard.routing.store.models import InboxMember

    async with service_runtime("routing") as routing:
        async with routing.database.session() as session:
            member = await session.get(InboxMember, (inbox_id, admin_id))
        if member is None:
            await add_inbox_member(
                routing,
                account_id=account_id,
                inbox_id=inbox_id,
                agent_id=admin_id,
                inbox_name=DEMO_INBOX,
            )


async def ensure_demo(password: str | None = None) -> dict[str, str | None]:
    """The demo account, its admin and its website inbox, made if missing."""
    account_id, admin_id, shown_password = await _demo_admin(password)
    inbox = await _demo_inbox(account_id)
    await _demo_membership(account_id, inbox.id, admin_id)
    return {
        "account_id": str(account_id),
        "admin_id": str(admin_id),
        "inbox_id": str(inbox.id),
        "widget_token": str(inbox.widget_token),
        "password": shown_password,
    }


def _demo_text(demo: dict[str, str | None]) -> str:
    ws = GATEWAY.replace("http", "ws", 1)
    password = demo["password"]
    login = (
        f"{DEMO_ADMIN_EMAIL} / {password}   (shown once: keep it)"
        if password
        else f"{DEMO_ADMIN_EMAIL}   (password shown when it was set;"
        " `switchboard demo --admin-password NEW` sets another)"
    )
    return "\n".join(
        [
            "Switchboard demo",
            f"  account        {DEMO_ACCOUNT} ({demo['account_id']})",
            f"  admin login    {login}",
            f"  widget token   {demo['widget_token']} (inbox {DEMO_INBOX} {demo['inbox_id']})",
            f"  gateway        {GATEWAY}",
            f"  API docs       {GATEWAY}/docs",
            f"  OpenAPI        {GATEWAY}/openapi.json",
            f"  agent socket   {ws}/v1/ws/agent",
            f"  visitor socket {ws}/v1/ws/visitor",
        ]
    )


def demo_command(args: argparse.Namespace) -> int:
    try:
        demo = asyncio.run(ensure_demo(args.admin_password))
    except AppError as error:  # e.g. a password that is too short
        raise SystemExit(f"{error.code}: {error.message}") from None
    print(_demo_text(demo))
    return 0
