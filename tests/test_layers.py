"""The package's layers import only downwards (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "indicators"

BASE = {
    "diagnostics", "codes", "errors", "limits", "resources", "yamlio", "collect", "text", "inputs",
    "spreadsheet", "unitwords", "units",
    "__init__", "__main__",
}
#: area → the areas it may import (besides base and itself)
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "formula": set(),
    "target": {"formula"},
    "catalog": {"formula", "target"},
    "forms": {"formula", "target", "catalog"},
    "lint": {"formula", "target", "catalog", "forms"},
    "scoring": {"formula", "target", "catalog", "forms"},
    "documents": {"formula", "target", "catalog", "forms", "lint", "scoring"},
    "service": {"formula", "target", "catalog", "forms", "lint", "scoring", "documents"},
    "cli": {"formula", "target", "catalog", "forms", "lint", "scoring", "documents", "service"},
}


def _area(module: str) -> str:
    head = module.split(".")[0]
    return "base" if head in BASE else head


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "indicators":
                found.append((node.lineno, "__init__"))
            elif node.module.startswith("indicators."):
                found.append((node.lineno, node.module.removeprefix("indicators.")))
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, a.name.removeprefix("indicators."))
                for a in node.names
                if a.name.startswith("indicators.")
            ]
    return found


MODULES = sorted(p for p in SRC.rglob("*.py") if "_data" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_only_go_down(path: Path) -> None:
    rel = path.relative_to(SRC)
    own = rel.parts[0] if len(rel.parts) > 1 else ("base" if rel.stem in BASE else rel.stem)
    if own == "__init__.py" or rel == Path("__init__.py") or rel == Path("__main__.py"):
        return  # the public API and the entry point may import anything
    bad = [
        f"line {line}: imports indicators.{target}"
        for line, target in _imports(path)
        if _area(target) not in ALLOWED.get(own, set()) | {own, "base"}
    ]
    assert not bad, f"{rel} breaks the layering: {bad}"


#: the one module that compiles source, and only source it generated from the AST
CODE_GENERATOR = Path("formula") / "codegen.py"


def _compiles(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {
            "eval",
            "exec",
            "compile",
            "__import__",
        }:
            found.append(f"{path.relative_to(SRC)}:{node.lineno}: {node.func.id}")
    return found


def test_no_eval_or_exec_in_the_package() -> None:
    others = [path for path in MODULES if path.relative_to(SRC) != CODE_GENERATOR]
    offenders = [hit for path in others for hit in _compiles(path)]
    assert not offenders


def test_the_code_generator_compiles_and_never_evaluates() -> None:
    hits = _compiles(SRC / CODE_GENERATOR)
    assert [h.rsplit(": ", 1)[1] for h in hits] == ["compile", "exec"]
