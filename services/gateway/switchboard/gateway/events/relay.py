"""The relay: every event with an audience, from every stream, into the one push stream.

The consumer group ``gateway`` is shared by all instances, so each event is relayed by one of
them; the push stream adds it once even when it is delivered again (see
``service/push_stream.py``). An event with an empty audience is internal and stays out.
"""

from __future__ import annotations

from switchboard.core.bus import Handler
from switchboard.core.events import Envelope
from switchboard.core.runtime import Runtime
from switchboard.gateway.domain.audience import should_relay
from switchboard.gateway.service.push_stream import PushStream

__all__ = ["build_relay"]


def build_relay(runtime: Runtime) -> Handler:
    push = PushStream(runtime.bus)

    async def relay(event: Envelope) -> None:
        if should_relay(event.audience):
            await push.relay(event)

    return relay
