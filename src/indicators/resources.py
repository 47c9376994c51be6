"""The only module that opens the files shipped with the package (``grammar/`` and ``catalog/``).

In the wheel they live in ``indicators/_data``; in a source checkout ``src/indicators/_data`` holds
links to the top-level folders, so both layouts are read the same way through importlib.resources.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

_PACKAGE = "indicators"


def data_root() -> Traversable:
    return files(_PACKAGE) / "_data"


def grammar_text(name: str) -> str:
    """The text of ``grammar/<name>`` (e.g. ``formula.lark``)."""
    return _read("grammar", name)


def catalog_text(*parts: str) -> str:
    """The text of a file under ``catalog/`` (e.g. ``catalog_text("grades.yaml")``)."""
    return _read("catalog", *parts)


def catalog_files(folder: str, suffix: str = ".yaml") -> list[tuple[str, str]]:
    """``(name, text)`` for every file in ``catalog/<folder>`` with that suffix, sorted by name."""
    node = data_root() / "catalog" / folder
    if not node.is_dir():
        return []
    out = [(p.name, p.read_text(encoding="utf-8")) for p in node.iterdir() if p.name.endswith(suffix)]
    return sorted(out)


def catalog_dir() -> Path:
    """A filesystem path to the bundled catalog (for tools that need a real directory)."""
    with as_file(data_root() / "catalog") as path:
        return Path(path)


@cache
def _read(*parts: str) -> str:
    node = data_root()
    for part in parts:
        node = node / part
    return node.read_text(encoding="utf-8")
