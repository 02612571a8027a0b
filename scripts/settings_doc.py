"""Write (or check) the settings table of docs/operations.md from the one settings object.

uv run python scripts/settings_doc.py --write
uv run python scripts/settings_doc.py --check
"""

from __future__ import annotations

import sys

from _generated import ROOT, between_markers, write_or_check
from pydantic import SecretStr

from switchboard.core.settings import Settings

DOC = ROOT / "docs" / "operations.md"
BEGIN = "<!-- settings: written by scripts/settings_doc.py -->"
END = "<!-- end of settings -->"


def _default(value: object) -> str:
    if isinstance(value, SecretStr):
        return "(none)"
    if isinstance(value, str):
        return f"`{value}`" if value else '`""`'
    if isinstance(value, list):
        return "`" + ", ".join(str(item) for item in value) + "`"
    return f"`{value}`"


def table() -> str:
    lines = ["| variable | default | what it sets |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        description = (field.description or "").replace("|", "\\|")
        lines.append(f"| `SB_{name.upper()}` | {_default(field.default)} | {description} |")
    return "\n".join(lines)


def rendered(document: str) -> str:
    return between_markers(document, BEGIN, END, table())


if __name__ == "__main__":
    sys.exit(write_or_check(lambda: {DOC: rendered(DOC.read_text())}))
