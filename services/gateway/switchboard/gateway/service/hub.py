"""The connections of this gateway instance, indexed by (account, audience string)."""

from __future__ import annotations

from collections import Counter, defaultdict

from switchboard.core.events import Envelope
from switchboard.gateway.service.connection import Connection

__all__ = ["Hub"]


class Hub:
    """Delivers each pushed event to the local connections whose audience matches."""

    def __init__(self) -> None:
        self._by_audience: defaultdict[tuple[str, str], set[Connection]] = defaultdict(set)
        self._connections: set[Connection] = set()
        self._kinds: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self._connections)

    def connections(self) -> list[Connection]:
        return list(self._connections)

    def count(self, kind: str) -> int:
        """Connections of ``kind`` (agent, visitor), without walking them (scraped often)."""
        return self._kinds[kind]

    def add(self, connection: Connection) -> None:
        if connection not in self._connections:
            self._kinds[connection.kind] += 1
        self._connections.add(connection)
        for audience in connection.audience:
            self._by_audience[(connection.account_id, audience)].add(connection)

    def remove(self, connection: Connection) -> None:
        if connection not in self._connections:
            return
        self._connections.discard(connection)
        self._kinds[connection.kind] -= 1
        for audience in connection.audience:
            key = (connection.account_id, audience)
            members = self._by_audience.get(key)
            if members is not None:
                members.discard(connection)
                if not members:
                    del self._by_audience[key]

    def connections_of(self, account_id: str, audience: str) -> list[Connection]:
        """The connections answering to one audience string of the account."""
        return list(self._by_audience.get((account_id, audience), ()))

    def deliver(self, entry_id: str, envelope: Envelope) -> int:
        """Offer the event to every matching connection; returns how many."""
        targets: set[Connection] = set()
        for audience in envelope.audience:
            targets.update(self._by_audience.get((envelope.account_id, audience), ()))
        for connection in targets:
            connection.offer(entry_id, envelope)
        return len(targets)
