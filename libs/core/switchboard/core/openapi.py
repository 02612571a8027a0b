"""Merging the OpenAPI documents of the services into the one public document."""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["OpenAPIConflict", "merge_openapi"]


class OpenAPIConflict(ValueError):
    """Two services declare the same path and method, or different schemas of one name."""


def merge_openapi(
    documents: dict[str, dict[str, Any]], *, title: str, description: str
) -> dict[str, Any]:
    """One document with every path of ``documents`` (service name -> its OpenAPI)."""
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "0.1.0", "description": description},
        "paths": {},
        "components": {"schemas": {}, "securitySchemes": {}},
    }
    paths: dict[str, Any] = merged["paths"]
    schemas: dict[str, Any] = merged["components"]["schemas"]
    for service in sorted(documents):
        document = documents[service]
        for path, operations in document.get("paths", {}).items():
            target = paths.setdefault(path, {})
            for method, operation in operations.items():
                if method in target:
                    raise OpenAPIConflict(f"{method.upper()} {path} is declared twice")
                tagged = copy.deepcopy(operation)
                tagged.setdefault("tags", [service])
                target[method] = tagged
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            if name in schemas and schemas[name] != schema:
                raise OpenAPIConflict(f"schema {name} differs between services")
            schemas[name] = schema
        security = document.get("components", {}).get("securitySchemes", {})
        merged["components"]["securitySchemes"].update(security)
    merged["paths"] = dict(sorted(paths.items()))
    merged["components"]["schemas"] = dict(sorted(schemas.items()))
    return merged
