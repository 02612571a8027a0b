"""When ``switchboard up`` restarts a child that died, and when it gives up on it.

A child that dies is started again after a pause that doubles with each of its restarts within
the last minute (0.5 s, 1 s, 2 s, ... up to a maximum): a crash now and then costs half a
second, and a crash loop does not spin. A child that died more than ``per_minute`` times within
a minute is not helped by restarting (a bad setting, a schema not migrated): ``up`` gives up.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from switchboard.core.settings import Settings

__all__ = ["RestartPolicy", "Restarts"]

WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class RestartPolicy:
    delay: float
    max_delay: float
    per_minute: int

    @classmethod
    def from_settings(cls, settings: Settings) -> RestartPolicy:
        return cls(
            delay=settings.supervisor_restart_delay_seconds,
            max_delay=settings.supervisor_restart_delay_max_seconds,
            per_minute=settings.supervisor_restarts_per_minute,
        )


@dataclass
class Restarts:
    """The restarts of one child."""

    policy: RestartPolicy
    times: deque[float] = field(default_factory=deque)

    def recent(self, now: float) -> int:
        """How many restarts happened within the last minute."""
        while self.times and now - self.times[0] > WINDOW_SECONDS:
            self.times.popleft()
        return len(self.times)

    def after_death(self, now: float) -> float | None:
        """The pause before restarting a child that died at ``now``; None: give up on it."""
        recent = self.recent(now)
        if recent >= self.policy.per_minute:
            return None
        self.times.append(now)
        return float(min(self.policy.delay * 2**recent, self.policy.max_delay))
