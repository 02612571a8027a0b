"""The relay: every event with an audience, from every stream, into the one push stream.

One totally ordered push stream is what makes ``resume`` by a single event id possible: a
client's last seen id orders everything it missed, whichever service produced it. The consumer
group ``gateway`` is shared by all instances, so each event is relayed by one of them; the
relayed-id marker written in the same Lua script as the XADD keeps a redelivered entry (crash
between XADD and XACK) from appearing twice.
"""

from __future__ import annotations

from switchboard.core.bus import Bus, Handler
from switchboard.core.events import Envelope
from switchboard.core.runtime import Runtime
from switchboard.gateway.domain.audience import should_relay

__all__ = ["PUSH_STREAM", "RELAYED_TTL_SECONDS", "build_relay", "push_stream"]

PUSH_STREAM = "stream:push"
# Long enough to outlive every redelivery of the consumer group (reclaim idle x deliveries).
RELAYED_TTL_SECONDS = 3600

_RELAY_ONCE = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'e', ARGV[3])
end
return false
"""


def push_stream(bus: Bus) -> str:
    return bus.key(PUSH_STREAM)


def build_relay(runtime: Runtime) -> Handler:
    bus = runtime.bus
    relay_once = runtime.redis.register_script(_RELAY_ONCE)
    stream = push_stream(bus)
    maxlen = runtime.settings.stream_maxlen

    async def relay(event: Envelope) -> None:
        if not should_relay(event.audience):
            return
        await relay_once(
            keys=[bus.key(f"relayed:{event.id}"), stream],
            args=[RELAYED_TTL_SECONDS, maxlen, event.encode()],
        )

    return relay
