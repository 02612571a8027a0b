"""schemathesis over the committed public OpenAPI, against the running suite, every check.

Every operation gets the coverage phase (boundary values, missing and wrong-typed fields,
methods the path does not list, OPTIONS) and a few fuzzed cases, as the right caller with a
furnished shop's real ids, so cases get past 404 into the use cases. Bounded: derandomized,
a handful of examples per operation, no example database, no shrinking.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest_asyncio
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import CheckFunction
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.furnished import Furnished, furnish
from tests.suite import Suite

ROOT = Path(__file__).resolve().parent.parent
CONFIG = schemathesis.Config.from_dict({"generation": {"deterministic": True, "database": "none"}})
SCHEMA = schemathesis.openapi.from_path(ROOT / "openapi" / "public.json", config=CONFIG)
_QUICK_REPLY_RULES = {
    (422, "unknown_placeholder"),
    (422, "team_ids_required"),
    (422, "team_ids_not_allowed"),
}
# Rules a JSON schema cannot state (across fields, or against the clock): a schema-valid
# request may meet them, and then only this answer (status, code) is the right refusal.
RULES_BEYOND_THE_SCHEMA = {
    "GET /v1/analytics/daily": {(400, "invalid_range")},  # 'from' after 'to', > 366 days
    # A range of the conversation list that ends before it starts.
    "GET /v1/conversations": {(400, "invalid_range")},
    "GET /v1/conversations/counts": {(400, "invalid_range")},
    "PATCH /v1/conversations/{conversation_id}": {
        (422, "snoozed_until_required"),
        (422, "snoozed_until_in_past"),
        (422, "snoozed_until_not_allowed"),
    },
    "POST /v1/conversations/{conversation_id}/transfers": {(422, "invalid_transfer_target")},
    "POST /v1/transfers": {(422, "invalid_transfer_target")},
    # Mentions name agents of the account, and only in a private note; made-up ids are not
    # uploads of the sender into this conversation.
    "POST /v1/conversations/{conversation_id}/messages": {
        (422, "mentions_need_private_note"),
        (422, "unknown_mention"),
        (422, "attachment_not_sendable"),
        # Not both content and canned_response_id.
        (422, "validation_error"),
    },
    # A supervisor or admin names the agent or the team (an agent means himself).
    "POST /v1/conversations/{conversation_id}/assignment": {(422, "assignment_target_required")},
    "POST /v1/public/conversations/{conversation_id}/messages": {(422, "attachment_not_sendable")},
    # A file's type is read from its content, which a schema cannot say.
    "POST /v1/conversations/{conversation_id}/attachments": {
        (415, "attachment_type_not_allowed"),
        (422, "upload_without_file"),
    },
    "POST /v1/public/conversations/{conversation_id}/attachments": {
        (415, "attachment_type_not_allowed"),
        (422, "upload_without_file"),
    },
    # ... and so is a quick reply's file, of which a reply holds ten.
    "POST /v1/canned-responses/{canned_response_id}/attachments": {
        (415, "attachment_type_not_allowed"),
        (422, "upload_without_file"),
        (422, "canned_response_files_full"),
    },
    # A quick reply's placeholders are known ones; team_ids goes with visibility 'team' only.
    "POST /v1/canned-responses": _QUICK_REPLY_RULES,
    "PATCH /v1/canned-responses/{canned_response_id}": _QUICK_REPLY_RULES,
}
# These end the caller's session: each case logs in afresh.
ENDS_THE_SESSION = {"POST /v1/auth/logout", "PUT /v1/auth/password"}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def fuzzed(suite: Suite) -> Furnished:
    async with httpx.AsyncClient(base_url=suite.base_url, timeout=10.0) as http:
        return await furnish(suite, http)


@SCHEMA.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_contract(case: Any, suite: Suite, fuzzed: Furnished) -> None:
    _with_real_ids(case, fuzzed)
    response = case.call(base_url=suite.base_url, headers=_caller(case, suite, fuzzed))
    case.validate_response(response, excluded_checks=list(_beyond_the_schema(case, response)))


def _caller(case: Any, suite: Suite, shop: Furnished) -> dict[str, str]:
    """The headers of who the operation's scope is for (see core.auth)."""
    security = case.operation.definition.raw.get("security", [])
    scope = security[0]["bearer"][0] if security else None
    if scope is None:
        return {}
    if scope == "visitor":
        return shop.visitor.headers
    if case.operation.label in ENDS_THE_SESSION:
        return _fresh_login(suite, shop)
    return shop.admin.headers


def _fresh_login(suite: Suite, shop: Furnished) -> dict[str, str]:
    # The supervisor: no path names his id, so the fuzzer never deactivates him.
    login = {"email": shop.supervisor.email, "password": "a-long-password"}
    response = httpx.post(f"{suite.base_url}/v1/auth/login", json=login, timeout=10.0)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _with_real_ids(case: Any, shop: Furnished) -> None:
    """Valid path ids become the shop's objects, so cases reach the use cases (a made-up id
    is a plain 404); a valid cursor goes: only the API makes them (a made-up one is 400)."""
    meta = case.meta
    if case.path_parameters and not meta.is_negative_at(ParameterLocation.PATH):
        case.path_parameters = {
            name: shop.ids.get(name, value) for name, value in case.path_parameters.items()
        }
    if case.query and "cursor" in case.query and not meta.is_negative_at(ParameterLocation.QUERY):
        case.query = {name: value for name, value in case.query.items() if name != "cursor"}


def _beyond_the_schema(case: Any, response: Any) -> Iterator[CheckFunction]:
    """positive_data_acceptance, when a schema-valid request met a rule of the operation that
    its schema cannot state, and was refused with that rule's own code."""
    allowed = RULES_BEYOND_THE_SCHEMA.get(case.operation.label, set())
    if any(status == response.status_code for status, _ in allowed):
        if (response.status_code, response.json()["error"]["code"]) in allowed:
            yield positive_data_acceptance


def test_the_rules_beyond_the_schema_name_real_operations() -> None:
    labels = {
        f"{method.upper()} {path}"
        for path, ops in SCHEMA.raw_schema["paths"].items()
        for method in ops
    }
    assert set(RULES_BEYOND_THE_SCHEMA) | ENDS_THE_SESSION <= labels
