"""``--format json``: one object with ``files``, ``diagnostics`` and ``summary`` (docs/lint-rules.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from indicators.diagnostics import Diagnostic, Severity
from indicators.lint.writers import Results

#: the version of the report's shape (``schema_version``, as every JSON document of the command line)
JSON_VERSION = 1


def counts(found: Sequence[Diagnostic]) -> dict[str, int]:
    """Errors, warnings and info notes among ``found``."""
    return {
        "errors": sum(d.severity is Severity.ERROR for d in found),
        "warnings": sum(d.severity is Severity.WARNING for d in found),
        "info": sum(d.severity is Severity.INFO for d in found),
    }


def item_json(path: str, d: Diagnostic) -> dict[str, Any]:
    """The documented JSON shape of one finding."""
    loc = d.location
    return {
        "file": path,
        "code": d.code,
        "slug": d.slug,
        "severity": d.severity.value,
        "message": d.message,
        "hint": d.hint,
        "row": loc.row if loc else None,
        "column": loc.column if loc else None,
        "cell": loc.cell if loc else None,
        "sheet": loc.sheet if loc else None,
        "indicator": d.indicator,
        "span": d.span.model_dump(mode="json") if d.span else None,
        "text": d.text,
        "fix": d.fix,
        "data": d.model_dump(mode="json")["data"],
    }


def report_json(results: Results) -> dict[str, Any]:
    """The ``--format json`` object."""
    files = [{"file": path, **counts(found)} for path, found in results]
    everything = [d for _, found in results for d in found]
    return {
        "schema_version": JSON_VERSION,
        "files": files,
        "diagnostics": [item_json(path, d) for path, found in results for d in found],
        "summary": {"files": len(results), **counts(everything)},
    }
