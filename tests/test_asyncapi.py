"""openapi/asyncapi.yaml says what the gateway does: its events are written from the models,
and its actions, error codes and close codes are checked against the gateway's code."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, RootModel

from switchboard.core.openapi import COMMON_CODES
from switchboard.gateway.domain.frames import ACTION_PAYLOADS, ErrorCode
from switchboard.gateway.service.connection import CloseCode
from tests.scripts import load_script

ROOT = Path(__file__).resolve().parent.parent
ASYNCAPI = ROOT / "openapi" / "asyncapi.yaml"
GATEWAY = ROOT / "services" / "gateway" / "switchboard" / "gateway"


def document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(ASYNCAPI.read_text())
    return loaded


def test_the_event_catalogues_are_written_from_the_models() -> None:
    script = load_script("event_catalogue")
    for path, render in (
        (script.ARCHITECTURE, script.rendered_architecture),
        (script.ASYNCAPI, script.rendered_asyncapi),
    ):
        committed = path.read_text()
        assert committed == render(committed), f"run 'make openapi': {path.name} is stale"


def test_every_reference_resolves() -> None:
    text, schemas = ASYNCAPI.read_text(), document()["components"]["schemas"]
    missing = set(re.findall(r"#/components/schemas/(\w+)", text)) - set(schemas)
    assert not missing


def test_the_actions_are_the_gateways() -> None:
    components = document()["components"]
    requests = [
        components["schemas"][ref["$ref"].rsplit("/", 1)[1]]["allOf"][1]["properties"]
        for ref in components["messages"]["Request"]["payload"]["oneOf"]
    ]
    documented = {request["action"]["const"]: request["payload"] for request in requests}
    assert set(documented) == set(ACTION_PAYLOADS)
    for action, model in ACTION_PAYLOADS.items():
        for payload, variant in _variants(documented[action], model, components["schemas"]):
            fields = variant.model_fields
            assert set(payload.get("properties", {})) == set(fields), (action, variant)
            required = {name for name, field in fields.items() if field.is_required()}
            assert set(payload.get("required", [])) == required, (action, variant)


def _variants(
    payload: dict[str, Any], model: type[BaseModel], schemas: dict[str, Any]
) -> list[tuple[dict[str, Any], type[BaseModel]]]:
    """The documented payload of each model an action takes: one, or (a union of models, as
    ``send_message``'s kinds) each ``oneOf`` by its model's name, in the union's order."""
    if not issubclass(model, RootModel):
        return [(payload, model)]
    union = model.model_fields["root"].annotation
    variants = [get_args(tagged)[0] for tagged in get_args(union)]
    names = [ref["$ref"].rsplit("/", 1)[1] for ref in payload["oneOf"]]
    assert names == [variant.__name__ for variant in variants]
    return [(schemas[name], variant) for name, variant in zip(names, variants, strict=True)]


def _rest_codes() -> set[str]:
    errors = (ROOT / "docs" / "errors.md").read_text()
    return set(re.findall(r"^\| `(\w+)` \|", errors, re.M)) | COMMON_CODES


def test_every_error_code_of_the_sockets_is_documented() -> None:
    error = document()["components"]["schemas"]["ErrorResponse"]["properties"]["error"]
    documented = set(error["properties"]["code"]["examples"])
    assert {code.value for code in ErrorCode} <= documented
    # The others are the services' REST codes, passed through unchanged.
    assert documented - {code.value for code in ErrorCode} <= _rest_codes()


def _documented_closes() -> dict[int, set[str]]:
    """The close code table of the protocol's description: code -> reasons."""
    closes: dict[int, set[str]] = {}
    for codes, reasons in re.findall(
        r"^\s*\| ([\d, ]+) \| ([^|]*) \|", document()["info"]["description"], re.M
    ):
        for code in codes.split(","):
            closes[int(code)] = set(re.findall(r"`(\w+)`", reasons))
    return closes


def _closes_in_the_code() -> set[tuple[int, str]]:
    """Every ``(CloseCode.x, "reason")`` the gateway closes a socket with."""
    found = set()
    for path in sorted(GATEWAY.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            items = node.elts if isinstance(node, ast.Tuple) else getattr(node, "args", [])
            if not isinstance(node, ast.Tuple | ast.Call) or len(items) < 2:
                continue
            code, reason = items[0], items[1]
            if (
                isinstance(code, ast.Attribute)
                and isinstance(code.value, ast.Name)
                and code.value.id == "CloseCode"
                and isinstance(reason, ast.Constant)
                and isinstance(reason.value, str)
            ):
                found.add((getattr(CloseCode, code.attr), reason.value))
    return found


def test_every_close_code_is_documented_with_its_reasons() -> None:
    documented = _documented_closes()
    ours = {value for name, value in vars(CloseCode).items() if not name.startswith("_")}
    assert ours <= set(documented)
    assert {code for code in documented if code >= 4000} <= ours  # no close code of the past
    used = _closes_in_the_code()
    assert used, "no close found in the gateway's code"
    for code, reason in used:
        assert reason in documented[code], (code, reason)
