"""The baselines: a bare message chain and a bare websocket server, no framework.

Run as its own process: ``python -m bench.bare chain|idle --port P [--dsn D --redis R --prefix X]``.

The chain speaks the same frames as the gateway (``login``, ``send_message``, pushed
``message.created``) so the very same load generator drives it: websocket receive (the
``websockets`` library, compression off) -> asyncpg INSERT with synchronous commit -> Redis XADD
-> XREADGROUP -> websocket send to both sides of the conversation.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
import uuid
from typing import Any

import orjson
import uvloop
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

FIELD = b"e"


class Hops:
    """Sums of the time spent in each hop, in seconds, and their counts."""

    def __init__(self) -> None:
        self.sums: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def add(self, hop: str, seconds: float) -> None:
        self.sums[hop] = self.sums.get(hop, 0.0) + seconds
        self.counts[hop] = self.counts.get(hop, 0) + 1

    def means_us(self) -> dict[str, float]:
        return {hop: self.sums[hop] / self.counts[hop] * 1e6 for hop in self.sums}

    def reset(self) -> None:
        self.sums.clear()
        self.counts.clear()


def _response(request_id: Any, action: str, payload: dict[str, Any]) -> bytes:
    frame = {"type": "response", "request_id": request_id, "action": action, "ok": True}
    return orjson.dumps({**frame, "payload": payload})


class Chain:
    def __init__(self, dsn: str | None, redis_url: str | None, prefix: str) -> None:
        self.dsn, self.redis_url = dsn, redis_url
        self.stream = f"{{{prefix}}}:bare:stream"
        self.rooms: dict[str, dict[str, ServerConnection]] = {}
        self.hops = Hops()
        self.pool: Any = None
        self.redis: Any = None

    async def start(self) -> None:
        if self.dsn is None or self.redis_url is None:
            return
        import asyncpg
        from redis.asyncio import Redis

        async def init(connection: Any) -> None:
            await connection.execute("SET synchronous_commit = on")

        self.pool = await asyncpg.create_pool(self.dsn, min_size=4, max_size=10, init=init)
        await self.pool.execute(
            "CREATE TABLE IF NOT EXISTS bench_message (id uuid PRIMARY KEY, conversation_id text"
            " NOT NULL, sender text NOT NULL, content text NOT NULL, created_at timestamptz"
            " NOT NULL DEFAULT now())"
        )
        self.redis = Redis.from_url(self.redis_url)
        with contextlib.suppress(Exception):
            await self.redis.xgroup_create(self.stream, "bare", id="$", mkstream=True)
        self.consumer = asyncio.create_task(self.consume())

    async def handle(self, ws: ServerConnection) -> None:
        room: str | None = None
        side = (
            "agent" if ws.request is not None and ws.request.path.endswith("agent") else "visitor"
        )
        try:
            async for raw in ws:
                received = time.perf_counter()
                frame = orjson.loads(raw)
                action, request_id = frame.get("action"), frame.get("request_id")
                payload = frame.get("payload") or {}
                if action == "login":
                    # The token names the conversation: "<conversation id>".
                    room = str(payload.get("token"))
                    self.rooms.setdefault(room, {})[side] = ws
                    answer = {"connection_id": str(ws.id), "kind": side}
                    await ws.send(_response(request_id, action, answer).decode())
                elif action == "send_message" and self.pool is not None:
                    await self.send_message(ws, side, request_id, payload, received)
                elif action == "stats":
                    await ws.send(_response(request_id, action, self.hops.means_us()).decode())
                    self.hops.reset()
                else:
                    await ws.send(_response(request_id, str(action), {"pong": True}).decode())
        except ConnectionClosed:
            pass
        finally:
            if room is not None and self.rooms.get(room, {}).get(side) is ws:
                del self.rooms[room][side]

    async def send_message(
        self, ws: ServerConnection, side: str, request_id: Any, payload: dict[str, Any], t0: float
    ) -> None:
        message_id = uuid.uuid4()
        conversation_id = str(payload["conversation_id"])
        content = str(payload["content"])
        row = await self.pool.fetchrow(
            "INSERT INTO bench_message (id, conversation_id, sender, content) VALUES"
            " ($1, $2, $3, $4) RETURNING created_at",
            message_id,
            conversation_id,
            side,
            content,
        )
        t1 = time.perf_counter()
        message = {
            "id": str(message_id),
            "conversation_id": conversation_id,
            "content": content,
            "sender_type": side,
            "created_at": row["created_at"].isoformat(),
        }
        event = {
            "type": "message.created",
            "sent": time.perf_counter(),
            "data": {"conversation_id": conversation_id, "message": message},
        }
        await self.redis.xadd(self.stream, {FIELD: orjson.dumps(event)}, maxlen=100_000)
        t2 = time.perf_counter()
        await ws.send(_response(request_id, "send_message", message).decode())
        self.hops.add("insert_commit", t1 - t0)
        self.hops.add("xadd", t2 - t1)

    async def consume(self) -> None:
        while True:
            response = await self.redis.xreadgroup(
                "bare", "c1", {self.stream: ">"}, count=100, block=1000
            )
            for _stream, entries in response or []:
                for entry_id, fields in entries:
                    event = orjson.loads(fields[FIELD])
                    read = time.perf_counter()
                    self.hops.add("xadd_to_xreadgroup", read - event["sent"])
                    data = event["data"]
                    frame = orjson.dumps(
                        {
                            "type": "event",
                            "id": entry_id.decode(),
                            "event": event["type"],
                            "data": data,
                        }
                    ).decode()
                    for ws in list(self.rooms.get(data["conversation_id"], {}).values()):
                        with contextlib.suppress(ConnectionClosed):
                            await ws.send(frame)
                    self.hops.add("fanout_ws_send", time.perf_counter() - read)
                if entries:
                    await self.redis.xack(self.stream, "bare", *[e[0] for e in entries])


async def main(args: argparse.Namespace) -> None:
    chain = Chain(args.dsn, args.redis, args.prefix)
    await chain.start()
    async with serve(
        chain.handle, "127.0.0.1", args.port, compression=None, max_size=2**22, backlog=4096
    ) as server:
        print("ready", flush=True)
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["chain", "idle"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dsn")
    parser.add_argument("--redis")
    parser.add_argument("--prefix", default="bench")
    parsed = parser.parse_args()
    if parsed.mode == "idle":
        parsed.dsn = parsed.redis = None
    uvloop.run(main(parsed))
