"""What the scripts that write files from the code share: `--write` and `--check`.

Each script says what every file it owns should hold; `write_or_check` writes them (`--write`, what
`make openapi` runs) or names the stale ones and fails (`--check`, the default, what a test or
CI runs). A file written only in part keeps its generated text between two marker lines
(`between_markers`), and the rest of it is written by hand.

The scripts import this module by its name, which works both when one runs as
`python scripts/<name>.py` (its folder is the first import path) and when a test loads it by
its path (pytest puts `scripts` on the import path).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

Contents = Mapping[Path, str] | Mapping[Path, bytes]


class MissingMarkers(ValueError):
    """A document lost the marker lines its generated part is written between."""


def between_markers(document: str, begin: str, end: str, text: str) -> str:
    """The document with `text` as the whole of what stands between `begin` and `end`."""
    if begin not in document or end not in document:
        raise MissingMarkers(f"no '{begin}' ... '{end}' markers")
    head, _, rest = document.partition(begin)
    _, _, tail = rest.partition(end)
    return f"{head}{begin}\n{text}\n{end}{tail}"


def write_or_check(contents: Callable[[], Contents]) -> int:
    """Write the files (`--write`) or fail when one differs from what the code says (`--check`)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--check", action="store_true", help="the default")
    args = parser.parse_args()
    try:
        wanted = contents()
    except MissingMarkers as error:
        print(error, file=sys.stderr)
        return 1
    if args.write:
        for path, content in wanted.items():
            _write(path, content)
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    stale = [path for path, content in wanted.items() if _read(path, like=content) != content]
    for path in stale:
        print(
            f"{path.relative_to(ROOT)} differs from the code: run 'make openapi'", file=sys.stderr
        )
    return 1 if stale else 0


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)


def _read(path: Path, *, like: str | bytes) -> str | bytes | None:
    """The file as it is (text or bytes, as `like`), or None when there is none."""
    if not path.exists():
        return None
    return path.read_bytes() if isinstance(like, bytes) else path.read_text()
