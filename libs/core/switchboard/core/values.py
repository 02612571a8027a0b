"""Request values read as their JSON schema says they are written: the types live in
``switchboard.contracts.inputs``, where the payloads of messages
(``switchboard.contracts.messages``) use them too; the services import them from here."""

from __future__ import annotations

from switchboard.contracts.inputs import Boolean, Day, Integer, IntegerRules, Timestamp

__all__ = ["Boolean", "Day", "Integer", "IntegerRules", "Timestamp"]
