"""Services stay apart and layers point one way (an import-linter of our own, over the AST)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "pyproject.toml").exists())
IO_MODULES = ("sqlalchemy", "redis", "httpx", "fastapi", "starlette", "asyncpg", "arq")
CORE_IO = ("switchboard.core.runtime", "switchboard.core.db", "switchboard.core.bus")


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def sources(service: str) -> list[Path]:
    return sorted((ROOT / "services" / service / "switchboard" / service).rglob("*.py"))


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_never_imports_another_service(service: str) -> None:
    others = [f"switchboard.{name}" for name in SERVICES if name != service]
    offending = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sources(service)
        for name in imports_of(path)
        if any(name == other or name.startswith(f"{other}.") for other in others)
    ]
    assert not offending, offending


@pytest.mark.parametrize("service", SERVICES)
def test_domain_rules_do_no_io(service: str) -> None:
    domain = ROOT / "services" / service / "switchboard" / service / "domain"
    offending = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted(domain.rglob("*.py"))
        for name in imports_of(path)
        if name.split(".")[0] in IO_MODULES or name.startswith(CORE_IO)
    ]
    assert not offending, offending


def test_no_library_knows_a_service() -> None:
    """The CLI reaches a service through what its spec declares (``admin``), not its modules."""
    offending = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "libs").rglob("*.py"))
        for name in imports_of(path)
        if any(name.startswith(f"switchboard.{service}") for service in SERVICES)
    ]
    assert not offending, offending
