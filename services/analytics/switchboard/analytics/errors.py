"""Every error analytics answers beyond core's: one class per code, with its status (its base)
and its message unless the raise says more."""

from __future__ import annotations

from switchboard.core.errors import BadRequest


class InvalidRange(BadRequest):
    code = "invalid_range"
    message = "'from' must not be after 'to'"
