"""The base of every event model."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

__all__ = ["Event"]


class Event(BaseModel):
    """The ``data`` of one type of event, exactly as its producer publishes it.

    The class says what the envelope carries besides: ``type``, ``source`` (the producing
    service, whose stream the event travels), ``version`` (raised when a change could break a
    reader), ``ordered_by`` (what the envelope's ``key`` is) and ``heard_by`` (whom its
    audience names; empty for an internal event, which never reaches a socket). Readers
    ignore fields they do not know: adding a field needs no new version.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    type: ClassVar[str]
    source: ClassVar[str]
    version: ClassVar[int] = 1
    ordered_by: ClassVar[str]
    heard_by: ClassVar[str] = ""
