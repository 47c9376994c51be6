"""The audit report of completed self-evaluation tables (绩效自评表): the documented JSON shape.

``AuditReport.model_json_schema()`` is exported to ``docs/schemas/audit-report.schema.json``; a test
fails when the two drift (regenerate with ``python -m indicators.scoring.audit.schema``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from indicators.diagnostics import Diagnostic, Severity


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(_Frozen):
    """One finding: a stable code, its severity and a Chinese message (with a hint where one helps)."""

    code: str = Field(description="IND8xx, see docs/diagnostics.md")
    slug: str
    severity: Severity
    message: str
    hint: str | None = None

    @classmethod
    def of(cls, d: Diagnostic) -> Finding:
        message = (
            f"{d.indicator}：{d.message}"
            if d.indicator and not d.message.startswith(d.indicator)
            else d.message
        )
        return cls(code=d.code, slug=d.slug, severity=d.severity, message=message, hint=d.hint)


class AuditRow(_Frozen):
    """One row of the table: its published score beside the recomputed one, and what was found."""

    row: int | None = Field(description="the 1-based row number in the file")
    level1: str = ""
    level2: str = ""
    level3: str = ""
    target: str | None = Field(default=None, description="年度指标值 as written")
    actual: str | None = Field(default=None, description="实际完成值 as written")
    weight: Decimal | None = Field(default=None, description="分值 used (as written, or split)")
    published_score: Decimal | None = Field(description="得分 as written; null when the cell is empty")
    recomputed_score: Decimal | None = Field(
        description="the score under the policy; null when not recomputed"
    )
    difference: Decimal | None = Field(description="published − recomputed; null unless both are known")
    status: str = Field(description="met, partial, not_met, missing, invalid, needs_baseline, or not_scored")
    rule: str | None = Field(default=None, description="the policy rule applied, e.g. quantitative.higher")
    reason: str | None = Field(default=None, description="why the row was not recomputed")
    findings: tuple[Finding, ...] = ()


class Convention(_Frozen):
    """A local way of scoring the table follows (proportional scores cut to one decimal, …)."""

    key: str = Field(description="cut_1, round_1, cut_0, round_0, fixed_deduction")
    label: str
    rows: tuple[int, ...] = Field(description="the file rows it explains")


class TableSummary(_Frozen):
    rows_read: int
    recomputed: int
    not_recomputed: int
    findings_by_code: dict[str, int]
    errors: int
    warnings: int
    published_total: Decimal | None = Field(description="总分 as printed below the table; null when none is")
    published_sum: Decimal | None = Field(description="the sum of the published row scores")
    recomputed_total: Decimal
    total_difference: Decimal | None = Field(description="published (printed, else summed) − recomputed")
    published_grade: str | None = None
    recomputed_grade: str
    weight_total: Decimal
    scaled_total: Decimal | None = Field(default=None, description="recomputed total rescaled to 100")


class TableAudit(_Frozen):
    """The audit of one table."""

    source: str
    title: str | None = None
    form_type: str | None = Field(default=None, description="project or department")
    policy: str | None = None
    rows: tuple[AuditRow, ...] = ()
    conventions: tuple[Convention, ...] = ()
    findings: tuple[Finding, ...] = Field(default=(), description="findings about the whole table")
    summary: TableSummary | None = Field(default=None, description="null when the table could not be read")

    @property
    def has_error(self) -> bool:
        every = [*self.findings, *(f for r in self.rows for f in r.findings)]
        return any(f.severity is Severity.ERROR for f in every)


class ReportSummary(_Frozen):
    tables: int
    tables_with_errors: int
    rows_read: int
    recomputed: int
    findings_by_code: dict[str, int]
    by_difference: tuple[str, ...] = Field(description="the tables' sources, largest total difference first")


class AuditReport(_Frozen):
    """``indicators audit --format json``: every table audited, and a summary across them."""

    schema_version: Literal[1] = Field(default=1, description="the version of this JSON shape (docs/api.md)")
    tables: tuple[TableAudit, ...]
    summary: ReportSummary
