"""Shared output helpers for the command line: JSON, diagnostics as text or JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TextIO

from indicators.diagnostics import Diagnostic


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(obj: Any) -> str:
    """Stable JSON: UTF-8 text (Chinese unescaped), two-space indent, Decimals as strings."""
    return json.dumps(obj, ensure_ascii=False, indent=2, default=_default)


def emit_json(obj: Any, out: TextIO | None = None) -> None:
    print(dumps(obj), file=out or sys.stdout)


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    """The documented JSON shape of one diagnostic (flat row/column for convenience)."""
    data = d.model_dump(mode="json", exclude_none=True)
    loc = d.location
    data["row"] = loc.row if loc else None
    data["column"] = loc.column if loc else (d.span.column if d.span else None)
    data.setdefault("hint", None)
    return data


def print_diagnostics(diagnostics: Iterable[Diagnostic], out: TextIO | None = None) -> None:
    stream = out or sys.stderr
    for d in diagnostics:
        print(d.render(), file=stream)
