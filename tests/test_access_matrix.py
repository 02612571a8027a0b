"""Who may call what: every operation of the committed public OpenAPI, with every caller the
access rules refuse, answers 401, 403 or 404, never a success and never a server error, and
changes nothing.

For each operation, from its ``security`` (the scope names the role, see core.auth):

- callers below the role it needs (no token, a visitor, an agent, a supervisor; an agent on
  a visitor's path) answer 401 (no token) or 403, with the account's own, real ids;
- an admin of account A (a visitor of A on the visitor's paths) with account B's ids, in the
  path (all of them, and one at a time) or in the body, answers 404;
- an agent of A in none of A's inboxes, on every path of A's conversation, answers 404 (a
  visitor of A on another visitor's conversation too); a path for a higher role answers 403.

Bodies are built from the operation's request schema with real ids, so the refusal is the
access rule and not a 422. An operation the builder cannot handle fails the test: coverage
never shrinks silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest_asyncio

from tests.furnished import ID_NAMES, Furnished, furnish
from tests.suite import Suite

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = orjson.loads((ROOT / "openapi" / "public.json").read_bytes())
# Operations anyone may call. Listed so that a path losing its security fails here.
OPEN = {
    "POST /v1/auth/login",
    "POST /v1/auth/refresh",
    "POST /v1/public/inboxes/{widget_token}/visitors",
    # A signed link is its own credential (an <img> sends no bearer).
    "GET /v1/attachments/{attachment_id}/content",
    "GET /v1/attachments/{attachment_id}/thumbnail",
}
# Body fields naming objects, and the kind of id they take (a path parameter's name).
ID_FIELDS = {
    "agent_id": "agent_id",
    "to_agent_id": "agent_id",
    "team_id": "team_id",
    "to_team_id": "team_id",
    "fallback_team_id": "team_id",
    "transfer_team_ids": "team_id",
    "label_ids": "label_id",
    "team_ids": "team_id",
}
# Optional body fields worth sending (by operation): the builder sends required ones only.
OPTIONAL_FIELDS = {
    "POST /v1/conversations/{conversation_id}/transfers": ["to_agent_id"],
    "POST /v1/transfers": ["to_agent_id"],
    "POST /v1/conversations/{conversation_id}/assignment": ["agent_id"],
    "POST /v1/teams": ["fallback_team_id", "transfer_team_ids"],
    "PATCH /v1/teams/{team_id}": ["fallback_team_id"],
    "PUT /v1/inboxes/{inbox_id}/routing": ["team_id"],
    "POST /v1/canned-responses": ["team_ids"],
    "PATCH /v1/canned-responses/{canned_response_id}": ["title"],
    "POST /v1/conversations/{conversation_id}/messages": ["content"],
    "POST /v1/public/conversations/{conversation_id}/messages": ["content"],
}
TEXT_BY_FIELD = {
    "email": "matrix@shop.example",
    "phone": "+84 90 000 0000",
    "colour": "#00aa00",
    "shortcut": "matrix",
}


class Unhandled(Exception):
    """The builder does not know how to make a valid request for an operation."""


# The body of an upload (multipart/form-data): a small text file, a type every inbox takes.
UPLOAD = {"file": ("matrix.txt", b"a file of the access matrix", "text/plain")}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def scope(self) -> str | None:
        for requirement in self.spec.get("security", []):
            return str(requirement["bearer"][0])
        return None

    @property
    def path_ids(self) -> list[str]:
        return [p["name"] for p in self.spec.get("parameters", []) if p["in"] == "path"]

    def url(self, ids: dict[str, str]) -> str:
        path = self.path
        for name in self.path_ids:
            if name not in ids:
                raise Unhandled(f"{self.label}: no object for the path parameter {name!r}")
            path = path.replace("{" + name + "}", ids[name])
        return path

    def body(self, ids: dict[str, str]) -> Any:
        for parameter in self.spec.get("parameters", []):
            if parameter.get("required") and parameter["in"] != "path":
                raise Unhandled(f"{self.label}: required {parameter['in']} {parameter['name']}")
        request = self.spec.get("requestBody")
        if request is None:
            return None
        if "multipart/form-data" in request["content"]:
            return UPLOAD
        schema = request["content"]["application/json"]["schema"]
        return Builder(ids, OPTIONAL_FIELDS.get(self.label, [])).value(schema, self.label)

    def names_ids_in_body(self) -> bool:
        body = self.body({kind: f"<{kind}>" for kind in ID_FIELDS.values()})
        return isinstance(body, dict) and any(field in ID_FIELDS for field in body)


@dataclass
class Builder:
    """A valid JSON value for a schema of the public document: required fields (and the
    operation's chosen optional ones), ids of the given account."""

    ids: dict[str, str]
    optional: list[str]

    def value(self, schema: dict[str, Any], where: str) -> Any:
        schema = _resolved(schema)
        if ("anyOf" in schema or "oneOf" in schema) and "type" not in schema:
            branches = schema.get("anyOf") or schema["oneOf"]
            usable = [b for b in branches if _resolved(b).get("type") != "null"]
            return self.value(usable[0], where)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if kind == "object":
            return self.object(schema, where)
        if kind == "string":
            return self.string(schema, where)
        if kind == "integer":
            return int(schema.get("minimum", 1))
        if kind == "boolean":
            return False
        raise Unhandled(f"{where}: no value for {schema}")

    def object(self, schema: dict[str, Any], where: str) -> dict[str, Any]:
        fields = [*schema.get("required", []), *self.optional]
        properties = schema.get("properties", {})
        return {name: self.field(name, properties[name], where) for name in fields}

    def field(self, name: str, schema: dict[str, Any], where: str) -> Any:
        if name in ID_FIELDS:
            found = self.ids[ID_FIELDS[name]]
            return [found] if _resolved(schema).get("type") == "array" else found
        if name in TEXT_BY_FIELD:
            return TEXT_BY_FIELD[name]
        return self.value(schema, f"{where} {name}")

    def string(self, schema: dict[str, Any], where: str) -> str:
        if schema.get("format") == "date-time":
            return (datetime.now(UTC) + timedelta(days=1)).isoformat()
        text = "a-long-password"
        fits = re.search(schema.get("pattern", ""), text) and schema.get("minLength", 0) <= len(
            text
        )
        if schema.get("format") or not fits:
            raise Unhandled(f"{where}: no value for {schema} (add it to TEXT_BY_FIELD)")
        return text[: schema.get("maxLength", len(text))]


def _resolved(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = PUBLIC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def operations() -> list[Operation]:
    return [
        Operation(method, path, spec)
        for path, methods in PUBLIC["paths"].items()
        for method, spec in methods.items()
    ]


# --- who calls ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    operation: Operation
    who: str
    headers: dict[str, str]
    url: str
    body: Any
    expected: frozenset[int]

    async def call(self, http: httpx.AsyncClient) -> httpx.Response:
        if self.body is UPLOAD:
            return await http.request(
                self.operation.method, self.url, files=UPLOAD, headers=self.headers
            )
        content = None if self.body is None else orjson.dumps(self.body)
        headers = {**self.headers, "content-type": "application/json"}
        return await http.request(self.operation.method, self.url, content=content, headers=headers)


def callers_below(operation: Operation, shop: Furnished) -> Iterator[tuple[str, dict[str, str]]]:
    """Every caller the operation's scope refuses (the lower roles, the other kind of token)."""
    yield "no token", {}
    scope = operation.scope
    if scope == "visitor":
        yield "an agent", shop.member.headers
        yield "an admin", shop.admin.headers
        return
    yield "a visitor", shop.visitor.headers
    if scope in ("supervisor", "admin"):
        yield "an agent", shop.member.headers
    if scope == "admin":
        yield "a supervisor", shop.supervisor.headers


def role_cases(operation: Operation, a: Furnished) -> Iterator[Case]:
    url, body = operation.url(a.ids), operation.body(a.ids)
    for who, headers in callers_below(operation, a):
        expected = frozenset({401} if not headers else {403})
        yield Case(operation, who, headers, url, body, expected)


def foreign_id_cases(operation: Operation, a: Furnished, b: Furnished) -> Iterator[Case]:
    """A's admin (or visitor) with B's ids: in every path parameter, in each alone, in the
    body alone."""
    headers = a.visitor.headers if operation.scope == "visitor" else a.admin.headers

    def refused(whose: str, in_path: dict[str, str], in_body: dict[str, str]) -> Case:
        url, body = operation.url(in_path), operation.body(in_body)
        return Case(operation, f"A's caller, {whose}", headers, url, body, frozenset({404}))

    names = operation.path_ids
    if names:
        yield refused("B's ids", b.ids, b.ids)
    for name in names if len(names) > 1 else []:
        yield refused(f"B's {name}", {**a.ids, name: b.ids[name]}, a.ids)
    if operation.names_ids_in_body():
        yield refused("B's ids in the body", a.ids, b.ids)


def outsider_cases(operation: Operation, a: Furnished) -> Iterator[Case]:
    """Someone of A who may not see A's conversation, on its paths."""
    if "conversation_id" not in operation.path_ids:
        return
    if operation.scope == "visitor":
        who, headers, expected = "another visitor of A", a.bystander.headers, {404}
    else:
        refused_role = operation.scope != "agent"
        who, headers = "an agent of A in no inbox", a.outsider.headers
        expected = {403} if refused_role else {404}
    url, body = operation.url(a.ids), operation.body(a.ids)
    yield Case(operation, who, headers, url, body, frozenset(expected))


def all_cases(a: Furnished, b: Furnished) -> list[Case]:
    cases: list[Case] = []
    for operation in operations():
        if operation.scope is None:
            assert operation.label in OPEN, f"{operation.label} has no security: add it to OPEN?"
            continue
        cases += role_cases(operation, a)
        cases += foreign_id_cases(operation, a, b)
        cases += outsider_cases(operation, a)
    return cases


# --- what must not change -------------------------------------------------------------------

# What a refused call could change; not presence (the furnished shop's sockets just closed).
_KEPT = {
    "/v1/agents": ("id", "role", "active", "capacity_override", "inbox_ids", "team_ids"),
    "/v1/teams": ("id", "name", "strategy", "fallback_team_id", "transfer_team_ids", "member_ids"),
    "/v1/inboxes": ("id", "name"),
    "/v1/conversations": ("id", "status", "assignee_id", "last_message_at", "priority"),
    "/v1/labels": ("id", "name", "colour"),
    "/v1/queue": ("conversation_id", "priority", "team_id"),
    "/v1/contacts": ("id", "visitor_id"),
    "/v1/canned-responses": (
        "id",
        "shortcut",
        "title",
        "content",
        "visibility",
        "team_ids",
        "attachments",
    ),
}


async def state_of(http: httpx.AsyncClient, shop: Furnished) -> dict[str, Any]:
    """What the refused calls could have changed, as the shop's admin and visitor see it."""
    ids = shop.ids
    conversation = f"/v1/conversations/{ids['conversation_id']}"
    state: dict[str, Any] = {}
    kept = {**_KEPT, f"/v1/inboxes/{ids['inbox_id']}/members": ("agent_id", "role")}
    for path, fields in kept.items():
        page = await _get(http, path, shop.admin.headers)
        state[path] = [{f: _unsigned(item[f]) for f in fields} for item in page["items"]]
    for path in (
        conversation,  # its labels, and the admin's star and unread count
        "/v1/accounts/current",
        f"/v1/inboxes/{ids['inbox_id']}/routing",
        f"{conversation}/participants",
        f"{conversation}/transfers",
        f"{conversation}/messages",
        f"/v1/transfers/{ids['transfer_id']}",
    ):
        state[path] = _unsigned(await _get(http, path, shop.admin.headers))
    for visitor in (shop.visitor, shop.bystander):  # their sessions still hold
        state[visitor.id] = await _get(http, "/v1/public/conversations", visitor.headers)
    for agent in (shop.member, shop.supervisor, shop.outsider):  # so do theirs
        state[agent.id] = (await _get(http, "/v1/me", agent.headers))["role"]
    state["/v1/notifications"] = await _get(http, "/v1/notifications", shop.admin.headers)
    return state


def _unsigned(value: Any) -> Any:
    """``value`` without attachments' download links (signed afresh at every read)."""
    if isinstance(value, dict):
        return {k: _unsigned(v) for k, v in value.items() if k not in ("url", "thumbnail_url")}
    if isinstance(value, list):
        return [_unsigned(item) for item in value]
    return value


async def _get(http: httpx.AsyncClient, path: str, headers: dict[str, str]) -> Any:
    response = await http.get(path, headers=headers)
    assert response.status_code == 200, (path, response.text)
    return response.json()


# --- the test -------------------------------------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def two_shops(suite: Suite) -> tuple[Furnished, Furnished]:
    async with httpx.AsyncClient(base_url=suite.base_url, timeout=10.0) as http:
        return await furnish(suite, http), await furnish(suite, http)


async def test_every_operation_refuses_whoever_the_access_rules_refuse(
    suite: Suite, two_shops: tuple[Furnished, Furnished]
) -> None:
    a, b = two_shops
    async with httpx.AsyncClient(base_url=suite.base_url, timeout=10.0) as http:
        before = [await state_of(http, a), await state_of(http, b)]
        cases = all_cases(a, b)
        wrong = []
        for case in cases:
            response = await case.call(http)
            if response.status_code not in case.expected:
                wrong.append(
                    f"{case.operation.label} as {case.who}: {response.status_code}"
                    f" (expected {sorted(case.expected)}) {response.text[:200]}"
                )
        after = [await state_of(http, a), await state_of(http, b)]
    assert not wrong, f"{len(wrong)} of {len(cases)} calls:\n" + "\n".join(wrong)
    changed = [
        f"{shop}'s {key}: {old[key]} -> {new[key]}"
        for shop, old, new in zip("AB", before, after, strict=True)
        for key in old
        if old[key] != new[key]
    ]
    assert not changed, "refused calls changed:\n" + "\n".join(changed)
    covered = {case.operation.label for case in cases}
    assert covered | OPEN == {op.label for op in operations()}


def test_the_matrix_knows_how_to_call_every_operation() -> None:
    """Fails, without the suite, on an operation the builder cannot make a valid request for:
    a new path parameter needs an object in tests/furnished.py, a new body field maybe a line
    in the tables above."""
    ids = {name: f"<{name}>" for name in ID_NAMES}
    for operation in operations():
        operation.url(ids)
        if operation.label not in OPEN:  # an open one's parameters are its own credential
            operation.body(ids)
    stale = (set(OPTIONAL_FIELDS) | OPEN) - {op.label for op in operations()}
    assert not stale, f"no such operations: {stale}"
