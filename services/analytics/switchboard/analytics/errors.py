"""Every error analytics answers beyond core's: one class per code, with its status (its base)
and its message unless the raise says more."""

from __future__ import annotations

from switchboard.core.errors import InvalidRange as InvalidRange

# The codes this service answers with that are core's, because other services answer them too
# (one class each, in core.errors); imported from here like this service's own.
SHARED = (InvalidRange,)
