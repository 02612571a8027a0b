"""The committed OpenAPI documents must match the code."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_script():
    spec = importlib.util.spec_from_file_location("openapi_script", ROOT / "scripts" / "openapi.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_openapi_matches_the_code() -> None:
    script = load_script()
    stale = [
        name
        for name, content in script.rendered().items()
        if not (ROOT / "openapi" / name).exists()
        or (ROOT / "openapi" / name).read_bytes() != content
    ]
    assert not stale, f"run 'make openapi': {stale} differ from the code"


def test_every_public_operation_is_documented() -> None:
    public = load_script().rendered()["public.json"]
    import orjson

    document = orjson.loads(public)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary") or operation.get("description"), (method, path)
            assert operation.get("operationId"), (method, path)


def test_the_error_code_catalogue_matches_the_code() -> None:
    spec = importlib.util.spec_from_file_location(
        "error_codes", ROOT / "scripts" / "error_codes.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (ROOT / "docs" / "errors.md").read_text()
    assert committed == module.rendered(), "run 'uv run python scripts/error_codes.py --write'"
    for code in ("agent_offline", "offer_taken", "transfer_expired", "already_participant"):
        assert f"| `{code}` |" in committed


def test_every_setting_is_documented_in_operations() -> None:
    spec = importlib.util.spec_from_file_location(
        "settings_doc", ROOT / "scripts" / "settings_doc.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (ROOT / "docs" / "operations.md").read_text()
    assert module.BEGIN in committed
    assert committed == module.rendered(committed), "run 'make openapi'"
