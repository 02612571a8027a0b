"""The committed OpenAPI documents must match the code, and say what the code answers."""

import re
from pathlib import Path
from typing import Any

import orjson

from switchboard.core.openapi import COMMON_CODES
from tests.scripts import load_script

ROOT = Path(__file__).resolve().parent.parent
# Operations anyone may call (every other one says who may, see core.auth).
OPEN = {
    "POST /v1/auth/login",
    "POST /v1/auth/refresh",
    "POST /v1/public/inboxes/{widget_token}/visitors",
    # A signed link is its own credential (an <img> sends no bearer).
    "GET /v1/attachments/{attachment_id}/content",
    "GET /v1/attachments/{attachment_id}/thumbnail",
}
# Codes of docs/errors.md that no operation documents: they are not an operation's own answer.
BEYOND_OPERATIONS = {
    ("method_not_allowed", 405),  # a method the path has not
    ("internal_error", 500),  # a bug
    ("openapi_conflict", 500),  # the gateway's /openapi.json, outside the document
    # Starlette's own HTTP errors of these statuses; no route raises them.
    ("conflict", 409),
    ("unsupported_media_type", 415),
}


def test_committed_openapi_matches_the_code() -> None:
    script = load_script("openapi")
    stale = [
        name
        for name, content in script.rendered().items()
        if not (ROOT / "openapi" / name).exists()
        or (ROOT / "openapi" / name).read_bytes() != content
    ]
    assert not stale, f"run 'make openapi': {stale} differ from the code"


def public_operations() -> list[tuple[str, dict[str, Any]]]:
    document = orjson.loads(load_script("openapi").rendered()["public.json"])
    return [
        (f"{method.upper()} {path}", operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_public_operation_is_documented() -> None:
    for label, operation in public_operations():
        assert operation.get("summary") or operation.get("description"), label
        assert operation.get("operationId"), label


def test_every_operation_says_who_may_call_it() -> None:
    for label, operation in public_operations():
        security = operation.get("security")
        if label in OPEN:
            assert security is None, label
            continue
        assert security and len(security[0]["bearer"]) == 1, label
        assert security[0]["bearer"][0] in ("visitor", "agent", "supervisor", "admin"), label


def test_every_error_an_operation_can_answer_is_documented_in_the_one_shape() -> None:
    public = load_script("openapi").rendered()["public.json"]
    assert b"HTTPValidationError" not in public and b'"detail"' not in public
    for label, operation in public_operations():
        responses = operation["responses"]
        parameters = {p["in"] for p in operation.get("parameters", [])}
        expected = {"429", "503"}
        expected |= {"401", "403"} if "security" in operation else set()
        expected |= {"404"} if "path" in parameters else set()
        expected |= {"413"} if "requestBody" in operation else set()
        assert expected <= set(responses), (label, sorted(responses))
        for status, response in responses.items():
            if int(status) < 400:
                continue
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (label, status)
            assert response["x-error-codes"], (label, status)
            if status in ("429", "503"):
                assert response["headers"]["Retry-After"]["required"], (label, status)


def test_every_refusal_of_the_code_is_on_the_operations_that_answer_it() -> None:
    """docs/errors.md is read from the code: each of its codes is documented on at least one
    operation with its status, and every code an operation documents is in it (or common)."""
    catalogue = {
        (code, int(status))
        for code, status in re.findall(
            r"^\| `(\w+)` \| (\d+) \|", (ROOT / "docs" / "errors.md").read_text(), re.M
        )
    }
    documented = {
        (code, int(status))
        for _, operation in public_operations()
        for status, response in operation["responses"].items()
        for code in response.get("x-error-codes", [])
    }
    assert catalogue - documented == BEYOND_OPERATIONS, "codes no operation names"
    unknown = {(code, status) for code, status in documented - catalogue}
    assert {code for code, _ in unknown} <= COMMON_CODES, unknown


def test_the_error_code_catalogue_matches_the_code() -> None:
    module = load_script("error_codes")
    committed = (ROOT / "docs" / "errors.md").read_text()
    assert committed == module.rendered(), "run 'uv run python scripts/error_codes.py --write'"
    for code in ("agent_offline", "offer_taken", "transfer_expired", "already_participant"):
        assert f"| `{code}` |" in committed


def test_every_setting_is_documented_in_operations() -> None:
    module = load_script("settings_doc")
    committed = (ROOT / "docs" / "operations.md").read_text()
    assert module.BEGIN in committed
    assert committed == module.rendered(committed), "run 'make openapi'"
