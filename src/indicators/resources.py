"""The only module that opens the files shipped with the package (``grammar/`` and ``catalog/``).

In the wheel they live in ``indicators/_data``; in a source checkout ``src/indicators/_data`` holds
links to the top-level folders, so both layouts are read the same way through importlib.resources.

:func:`grammar_cache` names the file in the user's cache directory where Lark keeps the analysed
tables of a grammar between runs (``INDICATORS_CACHE_DIR``; empty turns the cache off).
"""

from __future__ import annotations

import hashlib
import os
import sys
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


def cache_dir() -> Path | None:
    """The user's cache directory for the package, created if needed; None when there is none to use.

    ``INDICATORS_CACHE_DIR`` when set (empty: no cache), else ``$XDG_CACHE_HOME/indicators``,
    ``~/.cache/indicators`` (``%LOCALAPPDATA%\\indicators`` on Windows). A directory that another user
    owns or others may write to is not used: Lark's cache file is a pickle.
    """
    configured = os.environ.get("INDICATORS_CACHE_DIR")
    if configured is not None:
        if not configured.strip():
            return None
        folder = Path(configured)
    elif sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        folder = Path(os.environ["LOCALAPPDATA"]) / "indicators"
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(base) / "indicators"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return None
    return folder


def grammar_cache(name: str, grammar: str) -> str | bool:
    """The cache file for Lark's analysis of ``grammar`` (Lark's ``cache=`` option), or False.

    The name carries a digest of the grammar, Lark's version and Python's, so versions side by side
    never share a file; Lark checks the digest of grammar and options inside the file again and
    rebuilds (and rewrites) a file that does not match or cannot be read.
    """
    folder = cache_dir()
    if folder is None:
        return False
    try:
        from lark import __version__ as lark_version
    except ImportError:  # pragma: no cover - lark is a dependency
        return False
    key = f"{grammar}\0{lark_version}\0{sys.version_info[:2]}".encode()
    return str(folder / f"{name}-{hashlib.sha256(key).hexdigest()[:20]}.lark")
