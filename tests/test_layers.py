"""Services stay apart and layers point one way (an import-linter of our own, over the AST).

- a service imports ``switchboard.core``, ``switchboard.contracts`` and itself, never another
  service (their events are the contracts, their data comes by event or HTTP);
- ``libs/`` never imports a service (the command line only inside its commands), and the
  contracts depend on pydantic only;
- a domain does no I/O;
- a service's ``api`` never imports its ``store``: SQL runs behind the use cases of
  ``service`` (an import under ``if TYPE_CHECKING:`` names a row's type, no more);
- the rooms are the same in every feature package of a service (routing's ``directory/``,
  ``assignment/``, ``transfers/``): each ``domain/`` does no I/O and each ``api/`` imports no
  ``store/``, its own or another feature's;
- no module imports itself back through others (what runs at import time: an import inside a
  function runs when called).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "pyproject.toml").exists())
LIBS = sorted(p.name for p in (ROOT / "libs").iterdir() if (p / "pyproject.toml").exists())
IO_MODULES = ("sqlalchemy", "redis", "httpx", "fastapi", "starlette", "asyncpg", "arq")
CORE_IO = ("switchboard.core.runtime", "switchboard.core.db", "switchboard.core.bus")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(node: ast.AST) -> list[str]:
    """The modules an import names (``from a import b``: ``a``, and ``a.b`` if a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return []


def _walk(nodes: list[ast.stmt], *, top_level: bool) -> Iterator[ast.AST]:
    """The nodes that run: ``if TYPE_CHECKING:`` blocks never do, and with ``top_level``
    only what runs at import time (not the bodies of functions)."""
    for node in nodes:
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from _walk(node.orelse, top_level=top_level)
            continue
        if top_level and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        yield node
        children = [child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt)]
        yield from _walk(children, top_level=top_level)


def imports_of(path: Path, *, top_level: bool = False) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [name for node in _walk(tree.body, top_level=top_level) for name in _imported(node)]


def breaking(paths: list[Path], breaks: Callable[[str], bool]) -> list[str]:
    """``path: module`` of every import in ``paths`` that ``breaks`` a rule."""
    return [
        f"{path.relative_to(ROOT)}: {name}"
        for path in paths
        for name in imports_of(path)
        if breaks(name)
    ]


def sources(service: str) -> list[Path]:
    return sorted((ROOT / "services" / service / "switchboard" / service).rglob("*.py"))


def lib_sources(lib: str) -> list[Path]:
    return sorted((ROOT / "libs" / lib / "switchboard").rglob("*.py"))


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_imports_core_contracts_and_itself_only(service: str) -> None:
    allowed = ("switchboard.core", "switchboard.contracts", f"switchboard.{service}")
    offending = breaking(
        sources(service),
        lambda name: (
            name.split(".")[0] == "switchboard"
            and not any(name == ok or name.startswith(f"{ok}.") for ok in allowed)
        ),
    )
    assert not offending, offending


def room(service: str, name: str) -> list[Path]:
    """The modules of one room (``domain``, ``api``, ...) of a service, at its root and in
    each of its feature packages."""
    package = ROOT / "services" / service / "switchboard" / service
    return [path for path in sources(service) if name in path.relative_to(package).parts[:-1]]


def test_rooms_are_found_in_feature_packages() -> None:
    """The rules below see routing's features (a room they missed would pass unchecked)."""
    for feature in ("directory", "assignment", "transfers"):
        assert any(f"/{feature}/domain/" in str(path) for path in room("routing", "domain"))
        assert any(f"/{feature}/api/" in str(path) for path in room("routing", "api"))


@pytest.mark.parametrize("service", SERVICES)
def test_domain_rules_do_no_io(service: str) -> None:
    offending = breaking(
        room(service, "domain"),
        lambda name: name.split(".")[0] in IO_MODULES or name.startswith(CORE_IO),
    )
    assert not offending, offending


@pytest.mark.parametrize("service", SERVICES)
def test_the_api_leaves_the_store_to_the_use_cases(service: str) -> None:
    offending = breaking(
        room(service, "api"),
        lambda name: name.startswith(f"switchboard.{service}.") and "store" in name.split("."),
    )
    assert not offending, offending


@pytest.mark.parametrize("lib", LIBS)
def test_libs_know_no_service(lib: str) -> None:
    """No library knows a service: the command line reaches routing's and chat's commands
    through what their specs declare (``admin``), never their modules."""
    offending = breaking(
        lib_sources(lib),
        lambda name: any(name.startswith(f"switchboard.{service}") for service in SERVICES),
    )
    assert not offending, offending


def test_the_contracts_depend_on_pydantic_only() -> None:
    # pydantic's own parts (its core, the annotated-types it is built on) count as pydantic.
    allowed = {"pydantic", "pydantic_core", "annotated_types", "__future__"}
    allowed |= set(sys.stdlib_module_names)
    offending = breaking(
        lib_sources("contracts"),
        lambda name: (
            name.split(".")[0] not in allowed and not name.startswith("switchboard.contracts")
        ),
    )
    assert not offending, offending


def test_no_import_cycles() -> None:
    packages = [*(ROOT / "libs").glob("*/switchboard"), *(ROOT / "services").glob("*/switchboard")]
    modules = {
        ".".join(path.relative_to(package.parent).with_suffix("").parts).removesuffix(
            ".__init__"
        ): path
        for package in packages
        for path in package.rglob("*.py")
        if "migrations" not in path.parts
    }
    graph = {
        name: {imported for imported in imports_of(path, top_level=True) if imported in modules}
        for name, path in modules.items()
    }
    cycles = _cycles(graph)
    assert not cycles, cycles


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or module in graph[module]:
                groups.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return groups
