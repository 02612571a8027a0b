"""Write (or check) docs/errors.md: every error code the services answer with.

    uv run python scripts/error_codes.py --write
    uv run python scripts/error_codes.py --check

Codes are read from the error classes: core's (``switchboard.core.errors``) and each installed
service's (``switchboard.<service>.errors``), each class with its code and status. A domain
rule's refusal is answered by one of them (the service's ``REFUSALS`` table). The socket's own
codes come from the gateway's ``ErrorCode``.
"""

from __future__ import annotations

import inspect
import sys
import textwrap
from collections import defaultdict
from importlib import import_module
from types import ModuleType

from _generated import ROOT, write_or_check

from switchboard.core import errors as core_errors
from switchboard.core.errors import AppError
from switchboard.core.service import service_specs
from switchboard.gateway.domain.frames import ErrorCode

OUT = ROOT / "docs" / "errors.md"
HEADER = """# Error codes

Every 4xx and 5xx answer has one shape,
`{"error": {"code": "...", "message": "...", "details": ...}}`, and socket responses carry the
same `code` in `"error"`. A 503 (`database_unavailable`, `redis_unavailable`,
`service_unavailable`, `upstream_unavailable`) means a dependency is out of reach for the
moment: try again after the `Retry-After` seconds (a message sent with a `client_message_id`
is stored once however often it is sent; a socket action answers `upstream_unavailable`).
This page is written from the code by `uv run python scripts/error_codes.py --write` (a test
fails when it is stale). Codes common to every path: `validation_error` (422, the request
body, query or path does not fit; `details` lists each problem), `invalid_text` (422, a text
holds a NUL character or a lone surrogate), `payload_too_large` (413, the body is larger than
`SB_MAX_REQUEST_BYTES`), `rate_limited` (429, too many requests of this token, address,
visitor or email: try again after `Retry-After` seconds), `unauthorized` / `invalid_token` /
`token_expired` / `session_changed` / `session_revoked` (401), `forbidden` (403, the role does
not allow it), `not_found` (404, also for another account's ids), `method_not_allowed` (405).
"""
TABLE = """
| code | status | where |
|---|---|---|
"""


def error_modules() -> dict[str, ModuleType]:
    """Where the error classes are: core's, and each installed service's."""
    modules = {"core": core_errors}
    for spec in service_specs():
        modules[spec.name] = import_module(f"switchboard.{spec.name}.errors")
    return modules


def collect() -> dict[tuple[str, int], set[str]]:
    """(code, status) -> the packages whose error classes answer it."""
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    shared: set[type[AppError]] = set()
    for where, module in error_modules().items():
        # A service names the core classes it answers with too in ``SHARED``.
        owned = [*getattr(module, "SHARED", ()), *vars(module).values()]
        for error in owned:
            if inspect.isclass(error) and issubclass(error, AppError):
                if error.__module__ == module.__name__ or error in module.__dict__.get(
                    "SHARED", ()
                ):
                    found[(error.code, error.status_code)].add(where)
        shared.update(getattr(module, "SHARED", ()))
    for error in shared:
        found[(error.code, error.status_code)].discard("core")
    return found


def socket_only(codes: set[str]) -> list[str]:
    """The socket's error codes that no REST answer has."""
    return sorted(code.value for code in ErrorCode if code.value not in codes)


def rendered() -> str:
    found = collect()
    rows = [
        f"| `{code}` | {status} | {', '.join(sorted(where))} |"
        for (code, status), where in sorted(found.items())
    ]
    socket = ", ".join(f"`{code}`" for code in socket_only({code for code, _ in found}))
    tail = (
        f"Socket-only codes ({socket}) are in `openapi/asyncapi.yaml`. In the table, `where` "
        "names whose error class answers the code (`core`: any service may answer it)."
    )
    wrapped = textwrap.fill(tail, width=95, break_on_hyphens=False, break_long_words=False)
    return HEADER + wrapped + "\n" + TABLE + "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.exit(write_or_check(lambda: {OUT: rendered()}))
