"""The REST front's route table: the upstreams' OpenAPI path templates compiled to regexes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Route", "RouteTable", "compile_template"]

_PARAMETER = re.compile(r"\{([^{}/]+)\}")


def compile_template(template: str) -> re.Pattern[str]:
    """``/v1/conversations/{id}/messages`` -> a regex matching exactly such paths.

    A parameter matches one non-empty path segment; ``{name:path}`` matches the rest.
    """
    parts: list[str] = []
    position = 0
    for found in _PARAMETER.finditer(template):
        parts.append(re.escape(template[position : found.start()]))
        parts.append(".+" if found.group(1).endswith(":path") else "[^/]+")
        position = found.end()
    parts.append(re.escape(template[position:]))
    return re.compile("^" + "".join(parts) + "$")


@dataclass(frozen=True)
class Route:
    template: str
    upstream: str
    pattern: re.Pattern[str]

    @property
    def specificity(self) -> tuple[int, int]:
        """Literal templates win over parameterised ones (``/me`` before ``/{id}``)."""
        literal = _PARAMETER.sub("", self.template)
        return len(literal.strip("/").split("/")), len(literal)


class RouteTable:
    """Which upstream serves a request path."""

    def __init__(self, paths: Mapping[str, Iterable[str]]) -> None:
        routes = [
            Route(template, upstream, compile_template(template))
            for upstream, templates in sorted(paths.items())
            for template in templates
        ]
        self._exact = {r.template: r for r in routes if not _PARAMETER.search(r.template)}
        self._templated = sorted(
            (r for r in routes if _PARAMETER.search(r.template)),
            key=lambda r: r.specificity,
            reverse=True,
        )

    def __len__(self) -> int:
        return len(self._exact) + len(self._templated)

    def match(self, path: str) -> Route | None:
        exact = self._exact.get(path)
        if exact is not None:
            return exact
        for route in self._templated:
            if route.pattern.match(path):
                return route
        return None
