"""Shared helpers of the gateway tests: real uvicorn servers on free ports, real Redis.

Chat and routing are small stand-ins served in-process (the gateway's own tests only; the
end-to-end suite runs the real services): they answer the few REST paths the gateway calls and
the stand-in chat publishes ``message.created`` with the ``X-Switchboard-Origin`` it received.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest
import pytest_asyncio
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from redis.asyncio import Redis

from switchboard.contracts.chat import Message, MessageCreated
from switchboard.contracts.event import Event
from switchboard.core.auth import Principal, Role
from switchboard.core.bus import Bus
from switchboard.core.events import Audience, Envelope, utcnow
from switchboard.core.settings import Settings
from switchboard.core.testing import SocketClient, free_port, token_for
from switchboard.gateway.app import create_app


@contextlib.asynccontextmanager
async def serve(app: Any, servers: list[uvicorn.Server] | None = None) -> AsyncIterator[str]:
    """Run ``app`` with uvicorn on a free local port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", ws_ping_interval=None)
    server = uvicorn.Server(config)
    if servers is not None:
        servers.append(server)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)
        sock.close()


def dead_url() -> str:
    """A local URL nobody listens on."""
    return f"http://127.0.0.1:{free_port()}"


@dataclass
class StubState:
    requests: list[dict[str, Any]] = field(default_factory=list)
    conversations: dict[str, dict[str, Any]] = field(default_factory=dict)
    inbox_ids: dict[str, list[str]] = field(default_factory=dict)  # agent id -> inbox ids
    taken_offers: set[str] = field(default_factory=set)
    expired_transfers: set[str] = field(default_factory=set)
    # The stub's streamed paths: bytes of uploads as they arrive, downloads held until let go.
    uploaded: list[int] = field(default_factory=list)
    let_go: asyncio.Event = field(default_factory=asyncio.Event)

    def forget(self) -> None:
        """Nothing asked, nothing known: as at the start of a test."""
        for seen in (
            self.requests,
            self.conversations,
            self.inbox_ids,
            self.taken_offers,
            self.expired_transfers,
            self.uploaded,
        ):
            seen.clear()
        self.let_go = asyncio.Event()


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message, "details": None}}, status_code=status
    )


def stub_chat(state: StubState, bus: Bus, settings: Settings) -> FastAPI:
    from switchboard.core.auth import principal_from_token

    app = FastAPI(title="stub chat")

    def caller(request: Request) -> Principal:
        token = request.headers["authorization"].removeprefix("Bearer ")
        return principal_from_token(settings, token)

    async def post_message(conversation_id: str, request: Request) -> JSONResponse:
        who = caller(request)
        body = await request.json()
        state.requests.append(
            {"path": request.url.path, "headers": dict(request.headers), "body": body}
        )
        conversation = state.conversations.get(conversation_id)
        if conversation is None:
            return _error(404, "conversation_not_found", "no such conversation")
        message = Message(
            id=uuid.uuid4(),
            conversation_id=conversation_id,
            sender_type=who.kind,
            sender_id=who.id,
            content=body.get("content", ""),
            kind=body.get("kind", "text"),
            payload=body.get("payload"),
            private=bool(body.get("private")),
            client_message_id=body.get("client_message_id"),
            created_at=utcnow(),
        )
        audience = [Audience.inbox(conversation["inbox_id"])]
        if not message.private:
            audience.append(Audience.visitor(conversation["visitor_id"]))
        created = MessageCreated(
            conversation_id=conversation_id, inbox_id=conversation["inbox_id"], message=message
        )
        await bus.publish(
            "chat",
            Envelope.of(
                created,
                account_id=who.account_id,
                key=conversation_id,
                audience=audience,
                origin=request.headers.get("x-switchboard-origin"),
            ),
        )
        return JSONResponse(message.model_dump(mode="json"), status_code=201)

    @app.post("/v1/conversations/{conversation_id}/messages")
    async def create_message(conversation_id: str, request: Request) -> JSONResponse:
        return await post_message(conversation_id, request)

    @app.post("/v1/public/conversations/{conversation_id}/messages")
    async def create_visitor_message(conversation_id: str, request: Request) -> JSONResponse:
        return await post_message(conversation_id, request)

    async def mark_read(conversation_id: str, request: Request) -> JSONResponse:
        caller(request)
        body = await request.json()
        state.requests.append({"path": request.url.path, "body": body})
        if conversation_id not in state.conversations:
            return _error(404, "conversation_not_found", "no such conversation")
        read = {"conversation_id": conversation_id, "read_at": None, "unread_count": 0}
        return JSONResponse({**read, "last_read_message_id": body.get("message_id")})

    @app.post("/v1/conversations/{conversation_id}/read")
    async def mark_agent_read(conversation_id: str, request: Request) -> JSONResponse:
        return await mark_read(conversation_id, request)

    @app.post("/v1/public/conversations/{conversation_id}/read")
    async def mark_visitor_read(conversation_id: str, request: Request) -> JSONResponse:
        return await mark_read(conversation_id, request)

    @app.get("/v1/conversations/{conversation_id}")
    async def get_conversation(conversation_id: str, request: Request) -> JSONResponse:
        caller(request)
        conversation = state.conversations.get(conversation_id)
        if conversation is None:
            return _error(404, "conversation_not_found", "no such conversation")
        return JSONResponse(conversation)

    @app.get("/v1/public/conversations")
    async def list_visitor_conversations(request: Request) -> JSONResponse:
        who = caller(request)
        mine = [c for c in state.conversations.values() if c["visitor_id"] == str(who.id)]
        return JSONResponse({"items": mine, "next_cursor": None})

    @app.post("/v1/conversations/{conversation_id}/attachments")
    async def upload(conversation_id: str, request: Request) -> JSONResponse:
        digest = hashlib.sha256()
        async for chunk in request.stream():
            state.uploaded.append(len(chunk))
            digest.update(chunk)
        return JSONResponse({"size": sum(state.uploaded), "sha256": digest.hexdigest()}, 201)

    @app.get("/v1/attachments/{attachment_id}/content")
    async def download(attachment_id: str) -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            yield b"a" * 100_000  # then nothing until the test lets go
            await state.let_go.wait()
            for _ in range(20):
                yield b"b" * 100_000

        return StreamingResponse(chunks(), media_type="image/png")

    @app.get("/v1/inboxes")
    async def list_inboxes(request: Request) -> JSONResponse:
        state.requests.append(
            {"path": request.url.path, "query": request.url.query, "headers": dict(request.headers)}
        )
        return JSONResponse({"items": [], "next_cursor": None}, headers={"x-stub": "chat"})

    return app


def stub_routing(state: StubState, settings: Settings) -> FastAPI:
    from switchboard.core.auth import principal_from_token

    app = FastAPI(title="stub routing")

    @app.get("/v1/me")
    async def get_me(request: Request) -> JSONResponse:
        token = request.headers["authorization"].removeprefix("Bearer ")
        who = principal_from_token(settings, token)
        return JSONResponse({"id": str(who.id), "inbox_ids": state.inbox_ids.get(str(who.id), [])})

    @app.put("/v1/me/availability")
    async def set_my_availability(request: Request) -> JSONResponse:
        body = await request.json()
        if body.get("status") == "busy" and body.get("accept_auto_assign"):
            return _error(409, "inconsistent_availability", "busy agents do not get chats")
        return JSONResponse({**body, "agent": "me"})

    def routing_call(request: Request, body: Any, **fields: Any) -> Principal:
        token = request.headers["authorization"].removeprefix("Bearer ")
        who = principal_from_token(settings, token)
        state.requests.append(
            {"path": request.url.path, "headers": dict(request.headers), "body": body, **fields}
        )
        return who

    @app.post("/v1/offers/{offer_id}/accept")
    async def accept_offer(offer_id: str, request: Request) -> JSONResponse:
        who = routing_call(request, None)
        if offer_id in state.taken_offers:
            return _error(409, "offer_taken", "another agent took this conversation")
        state.taken_offers.add(offer_id)
        return JSONResponse({"id": offer_id, "status": "accepted", "winner_id": str(who.id)})

    @app.post("/v1/transfers/{transfer_id}/accept")
    async def accept_transfer(transfer_id: str, request: Request) -> JSONResponse:
        routing_call(request, None)
        return JSONResponse({"id": transfer_id, "status": "accepted"})

    @app.post("/v1/transfers/{transfer_id}/reject")
    async def reject_transfer(transfer_id: str, request: Request) -> JSONResponse:
        body = await request.json() if await request.body() else None
        routing_call(request, body)
        if transfer_id in state.expired_transfers:
            return _error(409, "transfer_expired", "the transfer has expired")
        return JSONResponse({"id": transfer_id, "status": "rejected", **(body or {})})

    return app


def stub_other(name: str, path: str) -> FastAPI:
    """A stand-in with one path, so the route table knows the service answered."""
    app = FastAPI(title=f"stub {name}")

    async def endpoint() -> dict[str, str]:
        return {"service": name}

    app.add_api_route(path, endpoint, methods=["GET"], name=f"get_{name}_stub")
    return app


@dataclass
class Harness:
    settings: Settings
    bus: Bus
    redis: Redis
    http_url: str
    stub: StubState
    _stack: contextlib.AsyncExitStack
    _upstreams: dict[str, contextlib.AsyncExitStack]
    # Where the sockets opened are closed: at the end of the harness, or of one test.
    _sockets: contextlib.AsyncExitStack = field(init=False)

    def __post_init__(self) -> None:
        self._sockets = self._stack

    @contextlib.asynccontextmanager
    async def one_test(self) -> AsyncIterator[Harness]:
        """This harness for one test: the stand-ins forget what they saw, and the sockets the
        test opens close at its end."""
        self.stub.forget()
        async with contextlib.AsyncExitStack() as sockets:
            self._sockets = sockets
            try:
                yield self
            finally:
                self._sockets = self._stack

    async def stop_upstream(self, name: str) -> None:
        await self._upstreams[name].aclose()

    @property
    def ws_url(self) -> str:
        return self.http_url.replace("http://", "ws://")

    @property
    def push_stream(self) -> str:
        return self.bus.key("stream:push")

    def token(self, principal: Principal, *, ttl_seconds: int = 600) -> str:
        return token_for(self.settings, principal, ttl_seconds=ttl_seconds)

    async def connect(self, kind: str, *, token: str | None = None) -> SocketClient:
        url = f"{self.ws_url}/v1/ws/{kind}" + (f"?token={token}" if token else "")
        client = await SocketClient.open(url)
        self._sockets.push_async_callback(client.close)
        return client

    async def login(self, principal: Principal, **token_options: Any) -> SocketClient:
        client = await self.connect(principal.kind)
        answer = await client.login(self.token(principal, **token_options))
        assert answer["ok"], answer
        return client

    async def announce(
        self, payload: Event, *, account_id: uuid.UUID, key: object, audience: list[str]
    ) -> Envelope:
        """``payload`` published on its producer's stream."""
        envelope = Envelope.of(payload, account_id=account_id, key=str(key), audience=audience)
        await self.bus.publish(payload.source, envelope)
        return envelope

    async def publish(self, service: str, **fields: Any) -> Envelope:
        """An opaque event (the gateway delivers ``data`` without reading it)."""
        envelope = Envelope(source=service, key=fields.pop("key", "k"), **fields)
        await self.bus.publish(service, envelope)
        return envelope

    async def stream_events(self, service: str, event_type: str) -> list[Envelope]:
        entries = await self.redis.xrange(self.bus.stream(service))
        decoded = [Bus.decode_entry("", i, f).envelope for i, f in entries]
        return [e for e in decoded if e.type == event_type]

    async def pushed_ids(self) -> list[str]:
        """The ids of the events in the push stream, oldest first."""
        entries = await self.redis.xrange(self.push_stream)
        return [orjson.loads(fields[b"e"])["id"] for _, fields in entries]


def visitor(account_id: uuid.UUID, **fields: Any) -> Principal:
    return Principal(
        kind="visitor",
        id=fields.pop("id", uuid.uuid4()),
        account_id=account_id,
        inbox_id=fields.pop("inbox_id", uuid.uuid4()),
    )


def agent(account_id: uuid.UUID, role: Role = Role.agent, **fields: Any) -> Principal:
    return Principal(
        kind="agent", id=fields.pop("id", uuid.uuid4()), account_id=account_id, role=role
    )


@contextlib.asynccontextmanager
async def gateway_harness(base: Settings, **overrides: Any) -> AsyncIterator[Harness]:
    """A gateway on a Redis key prefix of its own, with stand-in chat and routing."""
    async with contextlib.AsyncExitStack() as stack:
        prefix = f"{base.key_prefix}-gw-{uuid.uuid4().hex[:8]}"
        settings = base.model_copy(
            update={
                "key_prefix": prefix,
                "consumer_block_ms": 100,
                "ws_login_timeout_seconds": 5.0,
                "ws_idle_timeout_seconds": 10.0,
                "presence_heartbeat_seconds": 0.3,
                "presence_grace_seconds": 0.5,
            }
        )
        redis = Redis.from_url(settings.redis_url)
        stack.push_async_callback(redis.aclose)
        bus = Bus(redis, prefix=prefix, maxlen=settings.stream_maxlen)
        state = StubState()
        upstreams = {
            "chat": stub_chat(state, bus, settings),
            "routing": stub_routing(state, settings),
            "tickets": stub_other("tickets", "/v1/contacts/{contact_id}"),
            "analytics": stub_other("analytics", "/v1/analytics/daily"),
        }
        stops: dict[str, contextlib.AsyncExitStack] = {}
        servers: list[uvicorn.Server] = []
        urls: dict[str, str] = {}
        for name, app in upstreams.items():
            stops[name] = await stack.enter_async_context(contextlib.AsyncExitStack())
            urls[f"{name}_url"] = await stops[name].enter_async_context(serve(app, servers))
        settings = settings.model_copy(update={**urls, **overrides})
        http_url = await stack.enter_async_context(serve(create_app(settings), servers))

        def stop_all() -> None:  # all at once: a quicker teardown than one after another
            for server in servers:
                server.should_exit = True

        stack.callback(stop_all)
        yield Harness(settings, bus, redis, http_url, state, stack, stops)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def gateway(sb_settings: Settings) -> AsyncIterator[Harness]:
    """One gateway with its stand-ins for a module: starting them is the slow part."""
    async with gateway_harness(sb_settings) as harness:
        yield harness


@pytest_asyncio.fixture(loop_scope="session")
async def gw(gateway: Harness) -> AsyncIterator[Harness]:
    """The module's gateway for one test (tests use accounts of their own)."""
    async with gateway.one_test() as harness:
        yield harness


GatewayFactory = Callable[..., contextlib.AbstractAsyncContextManager[Harness]]


@pytest.fixture
def gw_factory(sb_settings: Settings) -> GatewayFactory:
    """A gateway of the test's own, with setting overrides: ``async with gw_factory(x=1) as
    harness``; for a test that changes the gateway itself (its settings, a stopped upstream) or
    counts what the whole process did."""
    return lambda **overrides: gateway_harness(sb_settings, **overrides)
