"""``--format sarif``: SARIF 2.1.0, so that CI systems and editors show the findings.

One run of the tool ``indicators``; its rules are the codes that occur (id = code, name = slug, the
rule's summary and explanation from its documentation, ``helpUri`` its section of docs/lint-rules.md);
each result has the level (``error``, ``warning``, ``note``), the message with its hint, and a location:
the form file and, when the finding has a cell, a region whose ``startLine`` is the form's row and
``startColumn`` its column (a text or CSV form's field number, not a character offset). The cell name
(``F23``), the sheet, the level-3 name and the slug are kept in ``properties``.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from indicators import __version__
from indicators.diagnostics import Diagnostic, Severity
from indicators.lint.writers import Results

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
DOCS = "https://github.com/indicators-cn/indicators/blob/main/docs/lint-rules.md"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule(code: str) -> dict[str, Any]:
    from indicators import codes
    from indicators.lint.base import get_rule

    row = codes.lookup(code)
    out: dict[str, Any] = {
        "id": code,
        "name": row.slug,
        "defaultConfiguration": {"level": _LEVELS[row.severity]},
    }
    try:
        doc = get_rule(code).doc()
    except KeyError:
        out["shortDescription"] = {"text": row.message}
        return out
    out["shortDescription"] = {"text": doc.summary}
    out["fullDescription"] = {"text": doc.body or doc.summary}
    out["helpUri"] = f"{DOCS}#{code.lower()}"
    out["properties"] = {"source": doc.source}
    return out


def _uri(path: str) -> str:
    return PurePath(path).as_posix()


def _result(path: str, d: Diagnostic, index: int) -> dict[str, Any]:
    text = d.message + (f"（建议：{d.hint}）" if d.hint else "")
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(path)}}
    loc = d.location
    if loc is not None and loc.row is not None:
        physical["region"] = {"startLine": loc.row, "startColumn": loc.column or 1}
        if d.text:
            physical["region"]["snippet"] = {"text": d.text}
    props = {"slug": d.slug, "indicator": d.indicator, "cell": loc.cell if loc else None,
             "sheet": loc.sheet if loc else None, "hint": d.hint}
    out: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": index,
        "level": _LEVELS[d.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": physical}],
        "properties": {k: v for k, v in props.items() if v is not None},
    }
    if d.fix:
        out["properties"]["fix"] = d.fix
    return out


def sarif_report(results: Results) -> dict[str, Any]:
    """The SARIF log of a check."""
    found = sorted({d.code for _, ds in results for d in ds})
    index = {code: i for i, code in enumerate(found)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "indicators",
                        "version": __version__,
                        "informationUri": DOCS,
                        "rules": [_rule(code) for code in found],
                    }
                },
                "results": [_result(path, d, index[d.code]) for path, ds in results for d in ds],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
