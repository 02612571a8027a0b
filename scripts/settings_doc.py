"""Write (or check) the settings table of docs/operations.md from the one settings object.

uv run python scripts/settings_doc.py --write
uv run python scripts/settings_doc.py --check
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import SecretStr

from switchboard.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
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
    head, _, rest = document.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--check", action="store_true", help="the default")
    args = parser.parse_args()
    current = DOC.read_text()
    if BEGIN not in current or END not in current:
        print(f"{DOC} has no settings markers", file=sys.stderr)
        return 1
    wanted = rendered(current)
    if args.write:
        DOC.write_text(wanted)
        print("wrote the settings of docs/operations.md")
        return 0
    if wanted != current:
        print("docs/operations.md lists other settings: run 'make openapi'", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
