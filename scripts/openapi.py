"""Write (or check) the committed OpenAPI documents: one per service and the merged public one.

uv run python scripts/openapi.py --write
uv run python scripts/openapi.py --check
"""

from __future__ import annotations

import sys
from typing import Any

import orjson
from _generated import ROOT, write_or_check
from pydantic import SecretStr

from switchboard.core.openapi import merge_openapi
from switchboard.core.secrets import generate_secret
from switchboard.core.service import load_object, service_specs
from switchboard.core.settings import Settings

OUT = ROOT / "openapi"
PUBLIC_TITLE = "Switchboard public API"
PUBLIC_DESCRIPTION = (
    "Every public REST path of the Switchboard services, behind the gateway's one base URL. "
    'Errors share one shape: {"error": {"code", "message", "details"}}. '
    "The websocket protocol is documented in asyncapi.yaml."
)


def service_documents() -> dict[str, dict[str, Any]]:
    documents = {}
    for spec in service_specs():
        if spec.name == "gateway":
            continue
        # A throw-away secret: the document does not depend on it, and no token is signed.
        app = load_object(spec.app)(Settings(jwt_secret=SecretStr(generate_secret())))
        documents[spec.name] = app.openapi()
    return documents


def rendered() -> dict[str, bytes]:
    documents = service_documents()
    files = {f"{name}.json": _dump(doc) for name, doc in documents.items()}
    public = merge_openapi(documents, title=PUBLIC_TITLE, description=PUBLIC_DESCRIPTION)
    files["public.json"] = _dump(public)
    return files


def _dump(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


if __name__ == "__main__":
    sys.exit(write_or_check(lambda: {OUT / name: content for name, content in rendered().items()}))
