"""Every error tickets answers beyond core's: one class per code, with its status (its base)
and its message unless the raise says more."""

from __future__ import annotations

from switchboard.core.errors import NotFound


class ContactNotFound(NotFound):
    code = "contact_not_found"
    message = "no such contact"
