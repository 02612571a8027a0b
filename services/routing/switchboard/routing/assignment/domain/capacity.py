"""How many conversations an agent may hold at once."""

from __future__ import annotations

from enum import Enum

__all__ = ["DEFAULT_CAPACITY", "CapacityRefusal", "capacity_refusal", "effective_capacity"]

DEFAULT_CAPACITY = 5


class CapacityRefusal(Enum):
    override_not_allowed = "override_not_allowed"
    at_capacity = "at_capacity"


def effective_capacity(override: int | None, account_default: int) -> int:
    """The agent's own maximum when set, else the account's default."""
    return account_default if override is None else override


def capacity_refusal(
    *, load: int, capacity: int, override: bool, may_override: bool
) -> CapacityRefusal | None:
    """Why one more conversation may not go to this agent, or None when it may.

    Only admins override capacity, and only when they ask for it explicitly.
    """
    if override and not may_override:
        return CapacityRefusal.override_not_allowed
    if load >= capacity and not override:
        return CapacityRefusal.at_capacity
    return None
