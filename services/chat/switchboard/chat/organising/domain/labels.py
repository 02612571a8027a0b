"""Labels of conversations: what a change adds and removes.

Adding or removing one label commutes with any other such change, so two agents racing each
other both win; replacing the whole set is last-writer-wins (what a front end that shows the
set as checkboxes means).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from uuid import UUID

__all__ = ["LabelChange", "plan_add", "plan_remove", "plan_replace"]


@dataclass(frozen=True)
class LabelChange:
    added: tuple[UUID, ...]
    removed: tuple[UUID, ...]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def plan_replace(current: Collection[UUID], target: Iterable[UUID]) -> LabelChange:
    """The change that leaves exactly ``target`` (duplicates ignored) on the conversation."""
    wanted = list(dict.fromkeys(target))
    return LabelChange(
        added=tuple(label for label in wanted if label not in current),
        removed=tuple(sorted(set(current) - set(wanted))),
    )


def plan_add(current: Collection[UUID], label: UUID) -> LabelChange:
    return LabelChange(added=() if label in current else (label,), removed=())


def plan_remove(current: Collection[UUID], label: UUID) -> LabelChange:
    return LabelChange(added=(), removed=(label,) if label in current else ())
