"""The JSON documents of the command line, the library and the HTTP API: one shape each.

Every JSON document the CLI prints (``--format json`` / ``--json``) and the HTTP API returns is one of
the pydantic models below or one of the library's own models (:class:`~indicators.forms.Form`,
:class:`~indicators.scoring.ScoreSheet`, :class:`~indicators.scoring.audit.AuditReport`,
:class:`~indicators.scoring.Policy`), and carries ``schema_version``. The version is raised when a field
is removed or changes meaning; adding a field keeps it.

Their JSON Schemas are exported into ``docs/schemas/`` (a test fails when they drift)::

    python -m indicators.documents docs/schemas
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from indicators.catalog.models import Entry
from indicators.diagnostics import Diagnostic, Severity
from indicators.target.model import Target

if TYPE_CHECKING:
    from indicators.catalog import Catalog, Match
    from indicators.formula import Evaluation, Formula
    from indicators.target import Outcome

#: the version of every document's shape (``schema_version``)
SCHEMA_VERSION: Literal[1] = 1
SchemaVersion = Literal[1]

__all__ = [
    "SCHEMAS",
    "SCHEMA_VERSION",
    "CatalogEntries",
    "CatalogEntry",
    "CatalogMatch",
    "CatalogMatches",
    "CheckReport",
    "EvaluationDocument",
    "ExplainDocument",
    "FormulaDocument",
    "LintFinding",
    "OutcomeDocument",
    "TargetDocument",
    "check_report",
    "entry_document",
    "evaluation_document",
    "formula_document",
    "match_document",
    "outcome_document",
    "schema_json",
    "target_document",
    "write_schemas",
]


class _Document(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: SchemaVersion = Field(default=SCHEMA_VERSION, description="the version of this shape")


# --- formulas -----------------------------------------------------------------------------------------


class Definition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    meaning: str


class FormulaDocument(_Document):
    """A parsed formula (``indicators formula parse --json``, ``POST /v1/formulas:parse``)."""

    text: str = Field(description="the formula as written")
    kind: str = Field(description="ratio, percentage, count, …: see docs/formula-language.md")
    kind_label: str = Field(description="the kind in Chinese")
    lhs: str | None = Field(description="the left side (指标值, or the indicator's own name)")
    variables: list[str]
    canonical: str = Field(description="the canonical text of the definition")
    note: str | None
    definitions: list[Definition] = Field(description="meanings the cell gives in words")
    unit: str | None = Field(description="% or ‰ for a percentage, the base of a rate, else null")
    variable_units: dict[str, str]
    alternatives: list[str]
    is_arithmetic: bool = Field(description="true when the formula computes a number (it can be evaluated)")
    ast: dict[str, Any] | None = Field(description="the syntax tree: nested objects tagged by node")
    warnings: list[Diagnostic] = Field(description="how an ambiguous text was read")


class EvaluationDocument(FormulaDocument):
    """A formula computed from values (``indicators formula eval --json``, ``POST /v1/formulas:evaluate``);
    ``unit`` is the value's."""

    ok: bool = Field(description="true when the value was computed")
    value: str | None = Field(description="the exact value as a decimal string, null when not computed")
    display: str = Field(description="the value rounded half up to the places asked, with its unit")
    diagnostics: list[Diagnostic] = Field(description="why the value could not be computed")


def formula_document(formula: Formula) -> FormulaDocument:
    data = formula.to_dict()
    data["warnings"] = list(formula.warnings)
    return FormulaDocument.model_validate(data)


def evaluation_document(formula: Formula, result: Evaluation, places: int = 2) -> EvaluationDocument:
    data = formula.to_dict()
    data.update(result.to_dict(places))
    data["warnings"] = list(formula.warnings)
    data["diagnostics"] = list(result.diagnostics)
    return EvaluationDocument.model_validate(data)


# --- targets ------------------------------------------------------------------------------------------


class TargetDocument(_Document):
    """A parsed target (``indicators target parse --json``, ``POST /v1/targets:parse``): the
    :class:`~indicators.target.Target` (its ``warnings`` say how the text was read), its canonical text
    and how a month or a date was read."""

    target: Target
    canonical: str = Field(description="the target in canonical form (≥95%, 90%-100%, 良以上)")
    reading: str | None = Field(default=None, description="how a month or a date was read, in Chinese")


def target_document(target: Target) -> TargetDocument:
    from indicators.target.parser import describe_reading

    return TargetDocument(target=target, canonical=target.canonical(), reading=describe_reading(target))


class OutcomeDocument(_Document):
    """An actual value judged against a target (``indicators target check --json``,
    ``POST /v1/targets:check``)."""

    outcome: Literal["met", "not_met", "not_comparable", "needs_baseline"]
    outcome_label: str = Field(description="达成, 未达成, 无法比较 or 缺少基期值")
    achievement: str | None = Field(description="exact ratio as a decimal string (1 = on target); null when "
                                    "the target is not numeric or was not judged")
    explanation: str = Field(description="one Chinese line")
    target: str
    actual: str
    baseline: str | None
    diagnostics: list[Diagnostic] = Field(description="notes on the target first, then the judgement's")


def outcome_document(outcome: Outcome, notes: Sequence[Diagnostic] = ()) -> OutcomeDocument:
    from indicators.units import format_decimal

    return OutcomeDocument(
        outcome=outcome.status.value,
        outcome_label=outcome.status.label,
        achievement=None if outcome.achievement is None else format_decimal(outcome.achievement),
        explanation=outcome.explanation,
        target=outcome.target,
        actual=outcome.actual,
        baseline=outcome.baseline,
        diagnostics=[*notes, *outcome.diagnostics],
    )


# --- catalog ------------------------------------------------------------------------------------------


class CatalogEntries(_Document):
    """Catalog entries (``indicators catalog list --json``, ``GET /v1/catalog/entries``)."""

    entries: list[Entry]


class CatalogMatch(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    score: str = Field(description="similarity from 0 to 1, as a decimal string")
    method: str = Field(description="exact, normalised or fuzzy (lookup); search (search)")
    via: str = Field(description="the name, alias or code that matched")
    entry: Entry


class Origin(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    line: int | None = None


class CatalogEntry(_Document):
    """One entry looked up by code or name (``indicators catalog show --json``,
    ``GET /v1/catalog/entries/{code_or_name}``)."""

    entry: Entry
    match: CatalogMatch
    origin: Origin | None = Field(default=None, description="the file and line that define the entry")


class CatalogMatches(_Document):
    """Search results, best first (``indicators catalog search --json``, ``GET /v1/catalog/search``)."""

    matches: list[CatalogMatch]


def match_document(match: Match) -> CatalogMatch:
    return CatalogMatch(score=str(match.score), method=match.method, via=match.via, entry=match.entry)


def entry_document(catalog: Catalog, match: Match) -> CatalogEntry:
    origin = catalog.origin(match.entry.code)
    return CatalogEntry(
        entry=match.entry,
        match=match_document(match),
        origin=None if origin is None else Origin(source=str(origin.source), line=origin.line),
    )


# --- the reviewer's check -----------------------------------------------------------------------------


class LintFinding(BaseModel):
    """One finding of the check, flat: the file and cell first (docs/lint-rules.md)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str
    code: str
    slug: str
    severity: Severity
    message: str
    hint: str | None
    row: int | None
    column: int | None
    cell: str | None = Field(description="the cell in A1 notation")
    sheet: str | None
    indicator: str | None = Field(description="the level-3 name of the row")
    span: dict[str, Any] | None = Field(description="the characters of the cell's text it is about")
    text: str | None
    fix: str | None = Field(description="a replacement text that would repair the cell")
    data: dict[str, Any]


class FileCounts(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str
    errors: int
    warnings: int
    info: int


class CheckSummary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    files: int
    errors: int
    warnings: int
    info: int


class CheckReport(_Document):
    """The reviewer's check of declared forms (``indicators check --format json``,
    ``POST /v1/forms:check``)."""

    files: list[FileCounts]
    diagnostics: list[LintFinding]
    summary: CheckSummary


def check_report(results: Sequence[tuple[str, Sequence[Diagnostic]]]) -> CheckReport:
    """The report of :mod:`indicators.lint.writers.jsonfile`, as its model."""
    from indicators.lint.writers.jsonfile import report_json

    return CheckReport.model_validate(report_json(results))


# --- explain ------------------------------------------------------------------------------------------


class ExplainDocument(_Document):
    """A diagnostic code explained (``indicators explain --json``)."""

    code: str
    slug: str
    severity: Severity
    message: str = Field(description="the Chinese message template")
    hint: str | None
    text: str = Field(description="the explanation as ``indicators explain`` prints it")


# --- JSON Schemas -------------------------------------------------------------------------------------


def _schemas() -> dict[str, tuple[type[BaseModel], str]]:
    """File name in ``docs/schemas`` → model and title."""
    from indicators.forms.model import Form
    from indicators.scoring.audit.model import AuditReport
    from indicators.scoring.policy import Policy
    from indicators.scoring.sheet import ScoreSheet

    return {
        "form.schema.json": (Form, "indicators form"),
        "diagnostic.schema.json": (Diagnostic, "indicators diagnostic"),
        "score-sheet.schema.json": (ScoreSheet, "indicators score sheet"),
        "audit-report.schema.json": (AuditReport, "indicators audit report"),
        "policy.schema.json": (Policy, "indicators scoring policy"),
        "catalog-entry.schema.json": (Entry, "indicators catalog entry"),
        "catalog-entries.schema.json": (CatalogEntries, "indicators catalog entries"),
        "catalog-lookup.schema.json": (CatalogEntry, "indicators catalog lookup"),
        "catalog-matches.schema.json": (CatalogMatches, "indicators catalog search"),
        "formula.schema.json": (FormulaDocument, "indicators formula"),
        "evaluation.schema.json": (EvaluationDocument, "indicators formula evaluation"),
        "target.schema.json": (TargetDocument, "indicators target"),
        "outcome.schema.json": (OutcomeDocument, "indicators target check"),
        "check-report.schema.json": (CheckReport, "indicators check report"),
        "explain.schema.json": (ExplainDocument, "indicators explain"),
    }


SCHEMAS: tuple[str, ...] = (
    "form.schema.json", "diagnostic.schema.json", "score-sheet.schema.json", "audit-report.schema.json",
    "policy.schema.json", "catalog-entry.schema.json", "catalog-entries.schema.json",
    "catalog-lookup.schema.json", "catalog-matches.schema.json", "formula.schema.json",
    "evaluation.schema.json", "target.schema.json", "outcome.schema.json", "check-report.schema.json",
    "explain.schema.json",
)


def schema_json(name: str) -> str:
    """The JSON Schema text of the document file ``name`` (as in ``docs/schemas``)."""
    model, title = _schemas()[name]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / name
        path.write_text(schema_json(name), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas")):
        print(path)
