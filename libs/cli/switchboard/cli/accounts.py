"""``switchboard create-account`` and ``switchboard demo``: accounts made through the
services' own use cases (routing's directory, chat's inboxes), never by hand-written SQL."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from switchboard.core.errors import AppError
from switchboard.core.service import admin_of
from switchboard.core.settings import get_settings

__all__ = ["create_account_command", "demo_command"]

DEMO_ACCOUNT = "Demo shop"
DEMO_ADMIN_NAME = "Demo admin"
DEMO_ADMIN_EMAIL = "admin@demo.switchboard.local"
DEMO_INBOX = "Website"
GATEWAY = "http://127.0.0.1:8000"


def create_account_command(args: argparse.Namespace) -> int:
    routing = admin_of("routing")
    try:
        created = asyncio.run(
            routing.create_account(
                get_settings(),
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
# service's own commands) and makes only what is missing, so an interrupted run is completed.


async def ensure_demo(password: str | None = None) -> dict[str, Any]:
    """The demo account, its admin and its website inbox, made if missing."""
    settings, routing, chat = get_settings(), admin_of("routing"), admin_of("chat")
    admin = await routing.ensure_admin(
        settings,
        account=DEMO_ACCOUNT,
        name=DEMO_ADMIN_NAME,
        email=DEMO_ADMIN_EMAIL,
        password=password,
    )
    if admin.created:
        print(f"created the demo account {DEMO_ACCOUNT}", file=sys.stderr)
    inbox = await chat.ensure_inbox(settings, account_id=admin.account_id, name=DEMO_INBOX)
    if inbox.created:
        print(f"created the demo inbox {DEMO_INBOX}", file=sys.stderr)
    await routing.ensure_member(
        settings,
        account_id=admin.account_id,
        inbox_id=inbox.id,
        inbox_name=DEMO_INBOX,
        agent_id=admin.admin_id,
    )
    return {
        "account_id": str(admin.account_id),
        "admin_id": str(admin.admin_id),
        "inbox_id": str(inbox.id),
        "widget_token": inbox.widget_token,
        "password": admin.password,
    }


def _demo_text(demo: dict[str, Any]) -> str:
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
