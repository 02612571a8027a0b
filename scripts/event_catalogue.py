"""Write (or check) the event catalogue from the models of ``switchboard.contracts``.

    uv run python scripts/event_catalogue.py --write
    uv run python scripts/event_catalogue.py --check

Two places hold it, each between its markers: the catalogue of docs/architecture.md (a table
of every event) and the event part of openapi/asyncapi.yaml (the schema of every push, the
events with an audience). The rest of both files is written by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml
from _generated import ROOT, between_markers, write_or_check

from switchboard.contracts.catalogue import EVENTS
from switchboard.contracts.event import Event

ARCHITECTURE = ROOT / "docs" / "architecture.md"
ASYNCAPI = ROOT / "openapi" / "asyncapi.yaml"
MD_BEGIN = "<!-- events: written by scripts/event_catalogue.py from switchboard.contracts -->"
MD_END = "<!-- end of events -->"
YAML_BEGIN = "    # events: written by scripts/event_catalogue.py from switchboard.contracts"
YAML_END = "    # end of events"
REFS = "#/components/schemas/{model}"


def _schema(event: type[Event]) -> dict[str, Any]:
    schema: dict[str, Any] = event.model_json_schema(mode="serialization", ref_template=REFS)
    tidy: dict[str, Any] = _tidy(schema)
    return tidy


def _tidy(node: Any) -> Any:
    """Without pydantic's titles (the names say it), descriptions on one line; a field named
    ``title`` stays (its schema is an object, a pydantic title a string)."""
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: _one_line(value) if key == "description" else _tidy(value)
        for key, value in node.items()
        if not (key == "title" and isinstance(value, str))
    }


def _one_line(text: str | None) -> str:
    """A docstring or description as one line of Markdown."""
    return " ".join((text or "").split()).replace("``", "`")


def _shared() -> dict[str, dict[str, Any]]:
    """The models and values events share (``Conversation``, ``Role``...), by name."""
    shared: dict[str, dict[str, Any]] = {}
    for event in EVENTS:
        shared.update(_schema(event).get("$defs", {}))
    return dict(sorted(shared.items()))


# docs/architecture.md ------------------------------------------------------------------------


def _field(name: str, schema: dict[str, Any], shared: dict[str, dict[str, Any]]) -> str:
    """``name``, ``name?`` (may be null), ``name: a|b`` (one of), ``name: Model``."""
    options = schema.get("anyOf", [schema])
    nullable = any(option.get("type") == "null" for option in options)
    value = next(option for option in options if option.get("type") != "null")
    text = name + ("?" if nullable else "")
    if "$ref" in value:
        model = value["$ref"].rsplit("/", 1)[1]
        enum = shared[model].get("enum")
        return text + ": " + ("\\|".join(enum) if enum else model)
    if "enum" in value:
        return text + ": " + "\\|".join(value["enum"])
    return text


def _data(schema: dict[str, Any], shared: dict[str, dict[str, Any]]) -> str:
    """The fields as ``{a, b?, c: x|y}``, then what the notable ones mean."""
    properties = schema.get("properties", {})
    fields = ", ".join(_field(name, value, shared) for name, value in properties.items())
    notes = [
        f"`{name}`: {_one_line(value['description'])}"
        for name, value in properties.items()
        if value.get("description")
    ]
    return "`{" + fields + "}`" + "".join(f"; {note}" for note in notes)


def catalogue() -> str:
    shared = _shared()
    lines = [
        "All ids are UUID strings, times RFC 3339 in UTC. In `data`, `name?` may be null and",
        "`name: a|b` is one of those values. An event with no audience is internal: it never",
        "reaches a socket. Readers ignore fields they do not know, so adding one keeps the",
        "version; a change that could break a reader raises it.",
        "",
        "| type | v | source | key | audience | data | what happened |",
        "|---|---|---|---|---|---|---|",
    ]
    for event in sorted(EVENTS, key=lambda event: (event.type, event.source)):
        cells = [
            f"`{event.type}`",
            str(event.version),
            event.source,
            event.ordered_by,
            event.heard_by or "— (internal)",
            _data(_schema(event), shared),
            _one_line(event.__doc__).replace("|", "\\|"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines += [
        f"`{name}` = {_data(schema, shared)}."
        for name, schema in shared.items()
        if "properties" in schema
    ]
    return "\n".join(lines)


def rendered_architecture(document: str) -> str:
    return between_markers(document, MD_BEGIN, MD_END, catalogue())


# openapi/asyncapi.yaml -----------------------------------------------------------------------


def _pushed() -> list[type[Event]]:
    return [event for event in EVENTS if event.heard_by]


def push_schemas() -> dict[str, Any]:
    """``Push`` (one of every push) and each push's schema, its ``data`` and what they share."""
    schemas: dict[str, Any] = {
        "Push": {"oneOf": [{"$ref": REFS.format(model=f"{e.__name__}Push")} for e in _pushed()]}
    }
    for event in _pushed():
        data = _schema(event)
        data.pop("$defs", None)
        schemas[f"{event.__name__}Push"] = {
            "description": f"{_one_line(event.__doc__)} Audience: {event.heard_by}.",
            "allOf": [
                {"$ref": REFS.format(model="PushEnvelope")},
                {
                    "properties": {
                        "event": {"const": event.type},
                        "data": {"$ref": REFS.format(model=event.__name__)},
                    }
                },
            ],
        }
        schemas[event.__name__] = data
    schemas.update(_shared())
    return schemas


def events_yaml() -> str:
    text = yaml.safe_dump(
        push_schemas(), sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
    )
    return "\n".join(f"    {line}" if line else line for line in text.splitlines())


def rendered_asyncapi(document: str) -> str:
    return between_markers(document, YAML_BEGIN, YAML_END, events_yaml())


def rendered() -> dict[Path, str]:
    """Both documents, each with its generated part written afresh."""
    return {
        ARCHITECTURE: rendered_architecture(ARCHITECTURE.read_text()),
        ASYNCAPI: rendered_asyncapi(ASYNCAPI.read_text()),
    }


if __name__ == "__main__":
    sys.exit(write_or_check(rendered))
