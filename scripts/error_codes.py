"""Write (or check) docs/errors.md: every error code the services answer with.

    uv run python scripts/error_codes.py --write
    uv run python scripts/error_codes.py --check

Codes are read from the code itself: every ``code="..."`` given to an error of
``switchboard.core.errors``, the ``_CONFLICTS`` / ``_FORBIDDEN`` tables of use cases that
turn a domain rule's refusal into an error, and the domain's ``...Refused("code", ...)``.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "errors.md"
STATUS = {
    "BadRequest": 400,
    "Unauthorized": 401,
    "Forbidden": 403,
    "NotFound": 404,
    "Conflict": 409,
    "Unprocessable": 422,
    "TooManyRequests": 429,
    "ServiceUnavailable": 503,
    # A rate limit of switchboard.core.ratelimit refuses with TooManyRequests and its code.
    "hit": 429,
    "check": 429,
}
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
Socket-only codes are in `openapi/asyncapi.yaml`.

| code | status | where |
|---|---|---|
"""


def _where(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[1] if parts[0] == "services" else "core"


def collect() -> dict[tuple[str, int | None], set[str]]:
    found: dict[tuple[str, int | None], set[str]] = defaultdict(set)
    roots = [*(ROOT / "services").glob("*/switchboard"), ROOT / "libs" / "core" / "switchboard"]
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Assign):
                    _collect_table(node, path, found)
                    continue
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if str(name).endswith("Refused"):
                    _collect_refusal(node, path, found)
                    continue
                status = STATUS.get(str(name))
                for keyword in node.keywords:
                    value = keyword.value
                    if (
                        keyword.arg == "code"
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                        and status is not None
                    ):
                        found[(value.value, status)].add(_where(path))
    return found


def _collect_table(
    node: ast.Assign, path: Path, found: dict[tuple[str, int | None], set[str]]
) -> None:
    """A ``_CONFLICTS = {"code": "message"}`` (or ``_FORBIDDEN``) table of a use case."""
    tables = {"_CONFLICTS": 409, "_FORBIDDEN": 403}
    names = [target.id for target in node.targets if isinstance(target, ast.Name)]
    status = next((tables[name] for name in names if name in tables), None)
    if status is None or not isinstance(node.value, ast.Dict):
        return
    for key in node.value.keys:
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            found[(key.value, status)].add(_where(path))


def _collect_refusal(
    node: ast.Call, path: Path, found: dict[tuple[str, int | None], set[str]]
) -> None:
    """A domain rule's ``XRefused("code", "message", conflict=...)``: 409 or 422."""
    if not node.args or not isinstance(node.args[0], ast.Constant):
        return
    conflict = next(
        (
            k.value.value
            for k in node.keywords
            if k.arg == "conflict" and isinstance(k.value, ast.Constant)
        ),
        True,
    )
    found[(str(node.args[0].value), 409 if conflict else 422)].add(_where(path))


def rendered() -> str:
    rows = [
        f"| `{code}` | {status} | {', '.join(sorted(where))} |"
        for (code, status), where in sorted(collect().items())
    ]
    return HEADER + "\n".join(rows) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    text = rendered()
    if args.write:
        OUT.write_text(text)
        print(f"wrote {OUT.relative_to(ROOT)}")
        return 0
    if not OUT.exists() or OUT.read_text() != text:
        print("docs/errors.md differs from the code: run scripts/error_codes.py --write")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
